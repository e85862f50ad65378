// Small helpers over Node's C API (node_api.h): argument checks and typed-array access.
#pragma once
#include <node_api.h>
#include <cstddef>
#include <cstdint>
#include <string>

namespace gankit {

// Throw a JavaScript TypeError and return nullptr (for `return fail(env, "...")` in callbacks).
inline napi_value fail(napi_env env, const std::string& message) {
  napi_throw_type_error(env, nullptr, message.c_str());
  return nullptr;
}

// The data pointer and element count of a typed array of the given type; false (and a thrown error) otherwise.
template <typename T>
bool typedArray(napi_env env, napi_value v, napi_typedarray_type want, const char* name, T** data, size_t* length) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  napi_typedarray_type type;
  void* ptr = nullptr;
  if (is) napi_get_typedarray_info(env, v, &type, length, &ptr, nullptr, nullptr);
  if (!is || type != want) {
    fail(env, std::string("Expected a typed array of the right type for ") + name);
    return false;
  }
  *data = static_cast<T*>(ptr);
  return true;
}

// A JavaScript number as a double; false (and a thrown error) when it is not a number.
inline bool number(napi_env env, napi_value v, const char* name, double* out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    fail(env, std::string("Expected a number for ") + name);
    return false;
  }
  return true;
}

// The call's arguments (up to N); false when fewer than `need` were passed.
template <size_t N>
bool args(napi_env env, napi_callback_info info, napi_value (&argv)[N], size_t need) {
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < need) {
    fail(env, "Expected " + std::to_string(need) + " arguments");
    return false;
  }
  return true;
}

// Register fn as exports[name].
inline void exportFunction(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

}  // namespace gankit
