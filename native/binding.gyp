# Native parts Node cannot do itself, built by scripts/build-native.js.
# This file lives in native/ and not at the package root on purpose: a root
# binding.gyp makes `npm install` run node-gyp for the whole package.
{
  "variables": {
    "napi_include": "<!(node -p \"require('node-addon-api').include_dir\")",
  },
  "target_defaults": {
    "include_dirs": ["<(napi_include)"],
    "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
    "cflags_cc": ["-std=c++17"],
  },
  "conditions": [
    # Test input injection: Linux/X11 only, used by the test suite.
    ["OS=='linux'", {
      "targets": [{
        "target_name": "xtest_replay",
        "sources": ["src/xtest_replay.cc"],
        "libraries": ["-lX11", "-lXtst"],
      }],
    }],
    # OS session lock: LockWorkStation from user32. UNTESTED (no Windows here).
    ["OS=='win'", {
      "targets": [{
        "target_name": "lock_win",
        "sources": ["src/lock_win.cc"],
        "libraries": ["user32.lib"],
        "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 0 } },
      }],
    }],
    # OS session lock: SACLockScreenImmediate via dlopen. UNTESTED (no macOS here).
    ["OS=='mac'", {
      "targets": [{
        "target_name": "lock_mac",
        "sources": ["src/lock_mac.cc"],
        "xcode_settings": {
          "MACOSX_DEPLOYMENT_TARGET": "10.15",
          "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        },
      }],
    }],
  ],
}
