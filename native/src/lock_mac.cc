// UNTESTED: written for macOS but never compiled or run there (the project's
// machines are Linux). Built only on darwin (binding.gyp conditions).
//
// Locks the screen immediately with SACLockScreenImmediate from the private
// login.framework, the call behind the menu bar's "Lock Screen" (Ctrl+Cmd+Q).
// The framework is private, so it is loaded with dlopen at call time rather
// than linked: if a macOS release removes or renames it, the agent gets an
// error it can report (and fall back on) instead of failing to load at all.
//
// JS: lockScreen() -> {ok: true} | {ok: false, error: string}

#include <dlfcn.h>

#include <napi.h>

#include <string>

namespace {

constexpr const char* kLoginFramework = "/System/Library/PrivateFrameworks/login.framework/Versions/Current/login";

using SACLockScreenImmediateFn = int (*)(void);

Napi::Value LockScreen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  auto fail = [&](const std::string& message) {
    result.Set("ok", Napi::Boolean::New(env, false));
    result.Set("error", Napi::String::New(env, message));
    return result;
  };
  // RTLD_NOLOAD is not used: the framework is normally not loaded in Node.
  // The handle is deliberately never closed: the framework may keep state.
  void* handle = dlopen(kLoginFramework, RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* err = dlerror();
    return fail(std::string("cannot load login.framework: ") + (err != nullptr ? err : "unknown dlopen error"));
  }
  auto fn = reinterpret_cast<SACLockScreenImmediateFn>(dlsym(handle, "SACLockScreenImmediate"));
  if (fn == nullptr) return fail("login.framework has no SACLockScreenImmediate on this macOS version");
  const int status = fn();
  if (status != 0) return fail("SACLockScreenImmediate returned " + std::to_string(status));
  result.Set("ok", Napi::Boolean::New(env, true));
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("lockScreen", Napi::Function::New(env, LockScreen, "lockScreen"));
  return exports;
}

}  // namespace

NODE_API_MODULE(lock_mac, Init)
