#include "image.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "addon_data.h"
#include "common.h"

namespace wasm_cow {

namespace {

int CreateMemfd() {
#ifdef MFD_ALLOW_SEALING
  return memfd_create("wasm-memory-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
#else
  errno = ENOSYS;
  return -1;
#endif
}

// Fallback when the kernel has no memfd: an unlinked file in the temporary directory.
int CreateTemporaryFile() {
  const char* directory = std::getenv("TMPDIR");
  std::string path = std::string(directory && *directory ? directory : "/tmp") + "/wasm-cow-image-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd >= 0) unlink(path.c_str());
  return fd;
}

bool WriteAll(int fd, const uint8_t* data, size_t length) {
  size_t written = 0;
  while (written < length) {
    ssize_t n = pwrite(fd, data + written, length - written, static_cast<off_t>(written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

void Image::Register(Napi::Env env, Napi::Object exports) {
  Napi::Function constructor = DefineClass(env, "Image",
                                           {
                                               InstanceMethod("release", &Image::Release),
                                               InstanceAccessor("length", &Image::Length, nullptr),
                                               InstanceAccessor("backing", &Image::Backing, nullptr),
                                               InstanceAccessor("released", &Image::Released, nullptr),
                                           });
  GetAddonData(env).imageConstructor = Napi::Persistent(constructor);
  exports.Set("Image", constructor);
}

Image* Image::FromValue(Napi::Env env, const Napi::Value& value, const char* what) {
  Napi::Function constructor = GetAddonData(env).imageConstructor.Value();
  if (!value.IsObject() || !value.As<Napi::Object>().InstanceOf(constructor)) {
    throw Napi::TypeError::New(env, std::string(what) + " must be an Image");
  }
  Image* image = Napi::ObjectWrap<Image>::Unwrap(value.As<Napi::Object>());
  if (!image) throw Napi::TypeError::New(env, std::string(what) + " must be an Image");
  if (image->fd_ < 0) throw Napi::Error::New(env, std::string(what) + " was released");
  return image;
}

// new Image(bytes: Uint8Array): the bytes must already be page aligned in length.
Image::Image(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Image>(info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, "new Image(bytes) needs one Uint8Array");
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  size_t length = bytes.ByteLength();
  if (length == 0) throw Napi::RangeError::New(env, "an image needs at least one page of bytes");
  CheckPageAligned(env, length, "image length");

  fd_ = CreateMemfd();
  memfd_ = fd_ >= 0;
  if (fd_ < 0) fd_ = CreateTemporaryFile();
  if (fd_ < 0) ThrowErrno(env, "cannot create an image file (memfd_create and mkstemp failed)");
  if (ftruncate(fd_, static_cast<off_t>(length)) != 0 || !WriteAll(fd_, bytes.Data(), length)) {
    int error = errno;
    Close();
    errno = error;
    ThrowErrno(env, "cannot write the image bytes");
  }
  // Seal it as Wasmtime does: the image can never change size or content again.
  if (memfd_ && fcntl(fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    int error = errno;
    Close();
    errno = error;
    ThrowErrno(env, "cannot seal the image memfd");
  }
  void* copy = std::aligned_alloc(HostPageSize(), length);  // length is a multiple of the page size
  if (!copy) {
    Close();
    throw Napi::Error::New(env, "cannot allocate the image's private copy");
  }
  std::memcpy(copy, bytes.Data(), length);
  bytes_ = std::shared_ptr<const uint8_t>(static_cast<uint8_t*>(copy),
                                          [](const uint8_t* p) { std::free(const_cast<uint8_t*>(p)); });
  length_ = length;
}

Image::~Image() { Close(); }

void Image::Close() {
  bytes_.reset();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Napi::Value Image::Release(const Napi::CallbackInfo& info) {
  Close();
  return info.Env().Undefined();
}

Napi::Value Image::Length(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), length_); }

Napi::Value Image::Backing(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), memfd_ ? "memfd" : "tmpfile");
}

Napi::Value Image::Released(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), fd_ < 0); }

}  // namespace wasm_cow
