// UNTESTED: written for Windows but never compiled or run there (the project's
// machines are Linux). Built only on win32 (binding.gyp conditions).
//
// Locks the interactive session with user32's LockWorkStation, the call behind
// Win+L. It only works from a process in the interactive desktop session (not
// a service in session 0) and returns once the lock has been *requested*.
//
// JS: lockWorkStation() -> {ok: true} | {ok: false, error: string}

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <napi.h>

#include <string>

namespace {

std::string LastErrorText(DWORD code) {
  char* buf = nullptr;
  const DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                                 nullptr, code, 0, reinterpret_cast<LPSTR>(&buf), 0, nullptr);
  std::string text = n > 0 && buf != nullptr ? std::string(buf, n) : std::string("unknown error");
  if (buf != nullptr) LocalFree(buf);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text + " (Win32 error " + std::to_string(code) + ")";
}

Napi::Value LockWorkStationJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  if (LockWorkStation()) {
    result.Set("ok", Napi::Boolean::New(env, true));
  } else {
    const DWORD code = GetLastError();
    result.Set("ok", Napi::Boolean::New(env, false));
    result.Set("error", Napi::String::New(env, "LockWorkStation failed: " + LastErrorText(code)));
  }
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("lockWorkStation", Napi::Function::New(env, LockWorkStationJs, "lockWorkStation"));
  return exports;
}

}  // namespace

NODE_API_MODULE(lock_win, Init)
