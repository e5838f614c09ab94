// A memory image: the page-aligned image bytes in a sealed memfd (an unlinked
// temporary file where memfd is missing), plus a read-only shared view of the same
// file used to restore bytes by hand during resets (Wasmtime copies from the module's
// data for the same purpose). The fd and the view are released by `release()` or,
// failing that, by the garbage collector.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace wasm_cow {

class Image : public Napi::ObjectWrap<Image> {
 public:
  static void Register(Napi::Env env, Napi::Object exports);
  static Image* FromValue(Napi::Env env, const Napi::Value& value, const char* what);

  explicit Image(const Napi::CallbackInfo& info);
  ~Image() override;

  int fd() const { return fd_; }
  size_t length() const { return length_; }
  const uint8_t* bytes() const { return view_; }

 private:
  Napi::Value Release(const Napi::CallbackInfo& info);
  Napi::Value Length(const Napi::CallbackInfo& info);
  Napi::Value Backing(const Napi::CallbackInfo& info);
  Napi::Value Released(const Napi::CallbackInfo& info);
  void Close();

  int fd_ = -1;
  size_t length_ = 0;
  uint8_t* view_ = nullptr;
  bool memfd_ = false;
};

}  // namespace wasm_cow
