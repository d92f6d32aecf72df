// Replays a timed list of keyboard and pointer events through XTest, for tests.
//
// Why native: xdotool pads every command with its own delays (TESTBED.md), and
// a JS timer loop is at the mercy of the event loop. Here each event is
// scheduled against CLOCK_MONOTONIC in a worker thread (sleep until ~2 ms
// before, busy-wait the rest), and XSync after each event makes the X server
// process it, and so timestamp it, at that moment rather than whenever Xlib's
// output buffer happens to be flushed. The X server stamps input with
// CLOCK_MONOTONIC milliseconds, so the injection times returned here can be
// compared directly with the `time` of the events a hook receives.
//
// JS API (see test/support/replay.ts for the typed wrapper):
//   replay(display: string, events: Event[], options?: {leadMs?: number, realtime?: boolean})
//     -> Promise<{startMs, injectedMs: number[], syncedMs: number[],
//                 realtime: {replayThread: boolean, xServer: boolean}}>
//   Event = {at: number (ms from start, non-decreasing),
//            type: 'keydown'|'keyup', key: string (X keysym name) | number (X keycode)}
//         | {at, type: 'move', x: number, y: number}
//         | {at, type: 'buttondown'|'buttonup', button: number}
//   startMs: CLOCK_MONOTONIC ms of offset 0; injectedMs[i]: monotonic ms just
//   before event i was sent; syncedMs[i]: monotonic ms after XSync returned
//   (the server had processed it). The server's timestamp lies in between.
//   leadMs (default 10): time from setup done to offset 0. realtime (default
//   true): run the replay thread and a local X server under SCHED_FIFO while
//   replaying, where permitted (see RealtimeThread); `realtime` in the result
//   says what was granted.

#include <napi.h>

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace {

enum class Kind { KeyDown, KeyUp, Motion, ButtonDown, ButtonUp };

struct Event {
  Kind kind;
  double atMs = 0;
  std::string keyName;  // non-empty when the key was given as a keysym name
  unsigned keycode = 0; // given, or resolved from keyName on the display
  int x = 0;
  int y = 0;
  unsigned button = 0;
};

double MonotonicMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Sleeping is only accurate to the scheduler's wake-up latency (tens to
// hundreds of microseconds, worse under load), so sleep until shortly before
// the target and spin for the rest.
constexpr double kSpinMs = 2.0;

void WaitUntil(double targetMs) {
  const double wakeMs = targetMs - kSpinMs;
  if (MonotonicMs() < wakeMs) {
    timespec ts;
    const double sec = std::floor(wakeMs / 1e3);
    ts.tv_sec = static_cast<time_t>(sec);
    ts.tv_nsec = static_cast<long>((wakeMs - sec * 1e3) * 1e6);
    if (ts.tv_nsec >= 1000000000L) ts.tv_nsec = 999999999L;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
  }
  while (MonotonicMs() < targetMs) {
  }
}

// On a busy machine (2 cores, parallel test files) an ordinary thread can be
// woken tens of milliseconds late, and so can the X server, which stamps the
// event when it processes the request. Running both under SCHED_FIFO for the
// length of a replay keeps injection within a fraction of a millisecond. It
// needs root or CAP_SYS_NICE / RLIMIT_RTPRIO; without it the replay still
// runs, only less precisely, and the result says so.
constexpr int kReplayThreadPriority = 50;
constexpr int kXServerPriority = 40;

class RealtimeThread {
 public:
  RealtimeThread() {
    pthread_getschedparam(pthread_self(), &oldPolicy_, &oldParam_);
    sched_param p{};
    p.sched_priority = kReplayThreadPriority;
    raised_ = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p) == 0;
  }
  ~RealtimeThread() {
    if (raised_) pthread_setschedparam(pthread_self(), oldPolicy_, &oldParam_);
  }
  bool raised() const { return raised_; }

 private:
  int oldPolicy_ = SCHED_OTHER;
  sched_param oldParam_{};
  bool raised_ = false;
};

// The X server's pid, from the peer credentials of a local (unix socket)
// connection; 0 for a TCP display.
pid_t XServerPid(Display* dpy) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(ConnectionNumber(dpy), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return 0;
  return cred.pid;
}

class RealtimeServer {
 public:
  explicit RealtimeServer(pid_t pid) : pid_(pid) {
    if (pid_ <= 0) return;
    oldPolicy_ = sched_getscheduler(pid_);
    if (oldPolicy_ < 0 || sched_getparam(pid_, &oldParam_) != 0) return;
    if (oldPolicy_ == SCHED_FIFO || oldPolicy_ == SCHED_RR) {
      raised_ = true;  // already real-time (e.g. raised by a concurrent replay): leave it
      return;
    }
    sched_param p{};
    p.sched_priority = kXServerPriority;
    changed_ = raised_ = sched_setscheduler(pid_, SCHED_FIFO, &p) == 0;
  }
  ~RealtimeServer() {
    if (changed_) sched_setscheduler(pid_, oldPolicy_, &oldParam_);
  }
  bool raised() const { return raised_; }

 private:
  pid_t pid_;
  int oldPolicy_ = -1;
  sched_param oldParam_{};
  bool raised_ = false;
  bool changed_ = false;
};

// Xlib's default handlers exit the whole process on a protocol error (e.g. a
// button the device lacks) or a lost connection. Record the error per display
// instead, so it becomes a rejected promise.
std::mutex g_errorsMutex;
std::map<Display*, std::string> g_errors;

int OnXError(Display* dpy, XErrorEvent* ev) {
  char text[256] = {0};
  XGetErrorText(dpy, ev->error_code, text, sizeof text);
  std::lock_guard<std::mutex> lock(g_errorsMutex);
  std::string& slot = g_errors[dpy];
  if (slot.empty()) {
    slot = std::string("X error: ") + text + " (request " + std::to_string(ev->request_code) + "." +
           std::to_string(ev->minor_code) + ")";
  }
  return 0;
}

int OnXIOError(Display* dpy) {
  std::lock_guard<std::mutex> lock(g_errorsMutex);
  g_errors[dpy] = "lost the connection to the X server (did it exit?)";
  return 0;
}

// libX11 >= 1.7: returning from this handler instead of exiting leaves the
// Display unusable but the process alive.
void OnXIOErrorExit(Display* dpy, void*) {
  std::lock_guard<std::mutex> lock(g_errorsMutex);
  g_errors[dpy] = "lost the connection to the X server (did it exit?)";
}

std::string TakeXError(Display* dpy) {
  std::lock_guard<std::mutex> lock(g_errorsMutex);
  auto it = g_errors.find(dpy);
  if (it == g_errors.end()) return "";
  std::string msg = std::move(it->second);
  g_errors.erase(it);
  return msg;
}

bool HasXError(Display* dpy) {
  std::lock_guard<std::mutex> lock(g_errorsMutex);
  return g_errors.count(dpy) > 0;
}

// X keysym names are case-sensitive ("Shift_L", "BackSpace"); tests write
// them in lower case. Try the exact name, a few irregular spellings, then
// each '_'-separated part capitalised ("shift_l" -> "Shift_L").
KeySym ResolveKeysym(const std::string& name) {
  KeySym sym = XStringToKeysym(name.c_str());
  if (sym != NoSymbol || name.size() <= 1) return sym;

  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::map<std::string, std::string> kIrregular = {
      {"backspace", "BackSpace"}, {"enter", "Return"},     {"esc", "Escape"},
      {"shift", "Shift_L"},       {"ctrl", "Control_L"},   {"control", "Control_L"},
      {"alt", "Alt_L"},           {"super", "Super_L"},    {"pageup", "Prior"},
      {"pagedown", "Next"},       {"iso_left_tab", "ISO_Left_Tab"}, {"capslock", "Caps_Lock"},
  };
  auto it = kIrregular.find(lower);
  if (it != kIrregular.end()) return XStringToKeysym(it->second.c_str());

  std::string canon;
  size_t partStart = 0;
  for (size_t i = 0; i <= lower.size(); i++) {
    if (i == lower.size() || lower[i] == '_') {
      const std::string part = lower.substr(partStart, i - partStart);
      if (part == "kp" || part == "iso") {
        for (char c : part) canon += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      } else {
        for (size_t j = 0; j < part.size(); j++) {
          canon += j == 0 ? static_cast<char>(std::toupper(static_cast<unsigned char>(part[j]))) : part[j];
        }
      }
      if (i < lower.size()) canon += '_';
      partStart = i + 1;
    }
  }
  return XStringToKeysym(canon.c_str());
}

std::string Describe(const Event& e, size_t index) {
  return "event " + std::to_string(index) + " (at " + std::to_string(e.atMs) + " ms)";
}

class ReplayWorker : public Napi::AsyncWorker {
 public:
  ReplayWorker(Napi::Env env, std::string display, std::vector<Event> events, double leadMs, bool realtime)
      : Napi::AsyncWorker(env, "cadence-xtest-replay"),
        deferred_(Napi::Promise::Deferred::New(env)),
        display_(std::move(display)),
        events_(std::move(events)),
        leadMs_(leadMs),
        realtime_(realtime) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    Display* dpy = XOpenDisplay(display_.c_str());
    if (dpy == nullptr) {
      SetError("cannot open X display '" + display_ + "' (is the X server running, and is the name right?)");
      return;
    }
    XSetIOErrorExitHandler(dpy, OnXIOErrorExit, nullptr);
    const std::string err = Run(dpy);
    // After an I/O error the connection is already gone; closing it again
    // would run the I/O error path a second time.
    const bool lost = HasXError(dpy) && err.find("lost the connection") != std::string::npos;
    TakeXError(dpy);
    if (!lost) XCloseDisplay(dpy);
    if (!err.empty()) SetError(err);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object result = Napi::Object::New(env);
    Napi::Array injected = Napi::Array::New(env, injectedMs_.size());
    Napi::Array synced = Napi::Array::New(env, syncedMs_.size());
    for (size_t i = 0; i < injectedMs_.size(); i++) {
      injected.Set(static_cast<uint32_t>(i), Napi::Number::New(env, injectedMs_[i]));
      synced.Set(static_cast<uint32_t>(i), Napi::Number::New(env, syncedMs_[i]));
    }
    result.Set("startMs", Napi::Number::New(env, startMs_));
    result.Set("injectedMs", injected);
    result.Set("syncedMs", synced);
    Napi::Object rt = Napi::Object::New(env);
    rt.Set("replayThread", Napi::Boolean::New(env, rtThread_));
    rt.Set("xServer", Napi::Boolean::New(env, rtServer_));
    result.Set("realtime", rt);
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  std::string Run(Display* dpy) {
    int eventBase, errorBase, major, minor;
    if (!XTestQueryExtension(dpy, &eventBase, &errorBase, &major, &minor)) {
      return "X display '" + display_ + "' has no XTEST extension";
    }
    int minKeycode = 0, maxKeycode = 0;
    XDisplayKeycodes(dpy, &minKeycode, &maxKeycode);
    for (size_t i = 0; i < events_.size(); i++) {
      Event& e = events_[i];
      if (e.kind != Kind::KeyDown && e.kind != Kind::KeyUp) continue;
      if (!e.keyName.empty()) {
        const KeySym sym = ResolveKeysym(e.keyName);
        if (sym == NoSymbol) return "unknown X keysym '" + e.keyName + "' in " + Describe(e, i);
        e.keycode = XKeysymToKeycode(dpy, sym);
        if (e.keycode == 0) {
          return "X keysym '" + e.keyName + "' in " + Describe(e, i) + " has no key in the keymap of display '" +
                 display_ + "'";
        }
      } else if (static_cast<int>(e.keycode) < minKeycode || static_cast<int>(e.keycode) > maxKeycode) {
        return "keycode " + std::to_string(e.keycode) + " in " + Describe(e, i) + " is outside the display's range " +
               std::to_string(minKeycode) + ".." + std::to_string(maxKeycode);
      }
    }
    // Make sure nothing is pending before timing starts.
    XSync(dpy, False);
    if (HasXError(dpy)) return TakeXError(dpy);

    injectedMs_.reserve(events_.size());
    syncedMs_.reserve(events_.size());
    std::unique_ptr<RealtimeThread> rtThread;
    std::unique_ptr<RealtimeServer> rtServer;
    if (realtime_) {
      rtThread = std::make_unique<RealtimeThread>();
      rtServer = std::make_unique<RealtimeServer>(XServerPid(dpy));
      rtThread_ = rtThread->raised();
      rtServer_ = rtServer->raised();
    }
    startMs_ = MonotonicMs() + leadMs_;
    for (size_t i = 0; i < events_.size(); i++) {
      const Event& e = events_[i];
      WaitUntil(startMs_ + e.atMs);
      const double sent = MonotonicMs();
      switch (e.kind) {
        case Kind::KeyDown: XTestFakeKeyEvent(dpy, e.keycode, True, CurrentTime); break;
        case Kind::KeyUp: XTestFakeKeyEvent(dpy, e.keycode, False, CurrentTime); break;
        case Kind::Motion: XTestFakeMotionEvent(dpy, -1, e.x, e.y, CurrentTime); break;
        case Kind::ButtonDown: XTestFakeButtonEvent(dpy, e.button, True, CurrentTime); break;
        case Kind::ButtonUp: XTestFakeButtonEvent(dpy, e.button, False, CurrentTime); break;
      }
      XSync(dpy, False);
      const double done = MonotonicMs();
      if (HasXError(dpy)) return TakeXError(dpy) + " while injecting " + Describe(e, i);
      injectedMs_.push_back(sent);
      syncedMs_.push_back(done);
    }
    return "";
  }

  Napi::Promise::Deferred deferred_;
  std::string display_;
  std::vector<Event> events_;
  double leadMs_;
  bool realtime_;
  bool rtThread_ = false;
  bool rtServer_ = false;
  double startMs_ = 0;
  std::vector<double> injectedMs_;
  std::vector<double> syncedMs_;
};

Napi::Value Rejected(Napi::Env env, const std::string& message) {
  auto d = Napi::Promise::Deferred::New(env);
  d.Reject(Napi::TypeError::New(env, message).Value());
  return d.Promise();
}

bool ReadNumber(const Napi::Object& o, const char* field, double* out) {
  Napi::Value v = o.Get(field);
  if (!v.IsNumber()) return false;
  *out = v.As<Napi::Number>().DoubleValue();
  return std::isfinite(*out);
}

Napi::Value Replay(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsArray()) {
    return Rejected(env, "replay(display: string, events: array, options?) needs a display name and an event array");
  }
  const std::string display = info[0].As<Napi::String>().Utf8Value();
  double leadMs = 10;
  bool realtime = true;
  if (info.Length() >= 3 && info[2].IsObject()) {
    Napi::Value rt = info[2].As<Napi::Object>().Get("realtime");
    if (!rt.IsUndefined()) {
      if (!rt.IsBoolean()) return Rejected(env, "options.realtime must be a boolean");
      realtime = rt.As<Napi::Boolean>().Value();
    }
    Napi::Value lead = info[2].As<Napi::Object>().Get("leadMs");
    if (!lead.IsUndefined()) {
      if (!lead.IsNumber() || !(lead.As<Napi::Number>().DoubleValue() >= 0)) {
        return Rejected(env, "options.leadMs must be a number >= 0");
      }
      leadMs = lead.As<Napi::Number>().DoubleValue();
    }
  }

  Napi::Array arr = info[1].As<Napi::Array>();
  std::vector<Event> events;
  events.reserve(arr.Length());
  double last = 0;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    const std::string where = "event " + std::to_string(i);
    Napi::Value v = arr.Get(i);
    if (!v.IsObject()) return Rejected(env, where + " is not an object");
    Napi::Object o = v.As<Napi::Object>();
    Event e;
    if (!ReadNumber(o, "at", &e.atMs) || e.atMs < 0) return Rejected(env, where + ": 'at' must be a finite number >= 0 (ms from start)");
    if (e.atMs < last) return Rejected(env, where + ": 'at' goes back in time (" + std::to_string(e.atMs) + " < " + std::to_string(last) + "); sort events by time");
    last = e.atMs;
    Napi::Value typeV = o.Get("type");
    const std::string type = typeV.IsString() ? typeV.As<Napi::String>().Utf8Value() : "";
    if (type == "keydown" || type == "keyup") {
      e.kind = type == "keydown" ? Kind::KeyDown : Kind::KeyUp;
      Napi::Value key = o.Get("key");
      if (key.IsString()) {
        e.keyName = key.As<Napi::String>().Utf8Value();
        if (e.keyName.empty()) return Rejected(env, where + ": 'key' is an empty string");
      } else if (key.IsNumber()) {
        const double code = key.As<Napi::Number>().DoubleValue();
        if (!(code >= 8 && code <= 255) || code != std::floor(code)) return Rejected(env, where + ": X keycode must be an integer 8..255");
        e.keycode = static_cast<unsigned>(code);
      } else {
        return Rejected(env, where + ": 'key' must be an X keysym name or an X keycode");
      }
    } else if (type == "move") {
      e.kind = Kind::Motion;
      double x, y;
      if (!ReadNumber(o, "x", &x) || !ReadNumber(o, "y", &y)) return Rejected(env, where + ": 'move' needs numeric x and y");
      e.x = static_cast<int>(std::lround(x));
      e.y = static_cast<int>(std::lround(y));
    } else if (type == "buttondown" || type == "buttonup") {
      e.kind = type == "buttondown" ? Kind::ButtonDown : Kind::ButtonUp;
      double b;
      if (!ReadNumber(o, "button", &b) || b < 1 || b > 255 || b != std::floor(b)) return Rejected(env, where + ": 'button' must be an integer 1..255 (1 left, 2 middle, 3 right)");
      e.button = static_cast<unsigned>(b);
    } else {
      return Rejected(env, where + ": unknown type '" + type + "' (keydown, keyup, move, buttondown, buttonup)");
    }
    events.push_back(std::move(e));
  }

  auto* worker = new ReplayWorker(env, display, std::move(events), leadMs, realtime);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value Now(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), MonotonicMs()); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Several replays (on different displays) may run in worker threads at once.
  XInitThreads();
  XSetErrorHandler(OnXError);
  XSetIOErrorHandler(OnXIOError);
  exports.Set("replay", Napi::Function::New(env, Replay, "replay"));
  exports.Set("monotonicNowMs", Napi::Function::New(env, Now, "monotonicNowMs"));
  return exports;
}

}  // namespace

NODE_API_MODULE(xtest_replay, Init)
