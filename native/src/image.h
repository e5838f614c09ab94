// A memory image: the page-aligned image bytes in a sealed memfd (an unlinked
// temporary file where memfd is missing), plus a private copy of the bytes used to
// restore memory by hand during resets and as the source of userfaultfd copies. Wasmtime
// copies from the module's data for the same purpose; reading the memfd through a
// mapping instead would map its pages a second time and make every image page look
// shared. The copy is page aligned (UFFDIO_COPY wants whole pages) and shared with the
// userfaultfd registrations that copy from it, so a registration outlives `release()`
// safely. The fd and the copy are released by `release()` or, failing that, by the
// garbage collector.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace wasm_cow {

class Image : public Napi::ObjectWrap<Image> {
 public:
  static void Register(Napi::Env env, Napi::Object exports);
  static Image* FromValue(Napi::Env env, const Napi::Value& value, const char* what);

  explicit Image(const Napi::CallbackInfo& info);
  ~Image() override;

  int fd() const { return fd_; }
  size_t length() const { return length_; }
  const uint8_t* bytes() const { return bytes_.get(); }
  std::shared_ptr<const uint8_t> sharedBytes() const { return bytes_; }

 private:
  Napi::Value Release(const Napi::CallbackInfo& info);
  Napi::Value Length(const Napi::CallbackInfo& info);
  Napi::Value Backing(const Napi::CallbackInfo& info);
  Napi::Value Released(const Napi::CallbackInfo& info);
  void Close();

  int fd_ = -1;
  size_t length_ = 0;
  std::shared_ptr<const uint8_t> bytes_;
  bool memfd_ = false;
};

}  // namespace wasm_cow
