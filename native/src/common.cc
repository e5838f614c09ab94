#include "common.h"

#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "addon_data.h"

namespace wasm_cow {

size_t HostPageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

uint64_t MonotonicNs() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000ull + static_cast<uint64_t>(now.tv_nsec);
}

void InitAddonData(Napi::Env env) {
  AddonData* data = new AddonData();
  Napi::Object object = env.Global().Get("Object").As<Napi::Object>();
  Napi::Function describe = object.Get("getOwnPropertyDescriptor").As<Napi::Function>();
  Napi::Object prototype = env.Global()
                               .Get("WebAssembly")
                               .As<Napi::Object>()
                               .Get("Memory")
                               .As<Napi::Object>()
                               .Get("prototype")
                               .As<Napi::Object>();
  Napi::Object descriptor = describe.Call(object, {prototype, Napi::String::New(env, "buffer")}).As<Napi::Object>();
  data->memoryBufferGetter = Napi::Persistent(descriptor.Get("get").As<Napi::Function>());
  data->uint8ArrayConstructor = Napi::Persistent(env.Global().Get("Uint8Array").As<Napi::Function>());
  env.SetInstanceData(data);
}

AddonData& GetAddonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

LinearMemory GetMemory(Napi::Env env, const Napi::Value& value, const char* what, SharedMemory shared) {
  Napi::Value buffer;
  try {
    if (!value.IsObject()) throw Napi::TypeError::New(env, "not an object");
    buffer = GetAddonData(env).memoryBufferGetter.Call(value, {});
  } catch (const Napi::Error&) {
    throw Napi::TypeError::New(env, std::string(what) + " must be a WebAssembly.Memory");
  }
  if (buffer.IsArrayBuffer()) {
    Napi::ArrayBuffer arrayBuffer = buffer.As<Napi::ArrayBuffer>();
    return LinearMemory{static_cast<uint8_t*>(arrayBuffer.Data()), arrayBuffer.ByteLength()};
  }
  if (shared == SharedMemory::kRefuse) {
    throw Napi::TypeError::New(
        env, std::string(what) + " is a shared memory: a private copy-on-write mapping needs a non-shared one");
  }
  // A shared memory's buffer is a SharedArrayBuffer: its address through a view of it.
  Napi::Uint8Array view = GetAddonData(env).uint8ArrayConstructor.New({buffer}).As<Napi::Uint8Array>();
  return LinearMemory{view.Data(), view.ByteLength()};
}

void CheckBase(Napi::Env env, const LinearMemory& memory, const Napi::Value& expected) {
  if (!expected.IsBigInt()) throw Napi::TypeError::New(env, "expected base must be a BigInt address");
  bool lossless = false;
  uint64_t address = expected.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless || address != reinterpret_cast<uintptr_t>(memory.base)) {
    throw Napi::Error::New(env, "the memory's base moved since the image was mapped: the mapping is gone");
  }
}

size_t GetSize(Napi::Env env, const Napi::Value& value, const char* what) {
  if (value.IsBigInt()) {
    bool lossless = false;
    uint64_t n = value.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) throw Napi::RangeError::New(env, std::string(what) + " must be a non-negative 64-bit integer");
    return static_cast<size_t>(n);
  }
  if (!value.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + " must be a number");
  double n = value.As<Napi::Number>().DoubleValue();
  // Range first: converting a double past 2^64 (or infinity) to an integer is undefined.
  if (!(n >= 0) || n > 9007199254740991.0 || std::trunc(n) != n) {
    throw Napi::RangeError::New(env, std::string(what) + " must be a non-negative safe integer");
  }
  return static_cast<size_t>(n);
}

void CheckPageAligned(Napi::Env env, size_t offset, const char* what) {
  if (offset % HostPageSize() != 0) {
    throw Napi::RangeError::New(
        env, std::string(what) + " must be a multiple of the host page size (" + std::to_string(HostPageSize()) + ")");
  }
}

void CheckInside(Napi::Env env, const LinearMemory& memory, size_t offset, size_t length, const char* what) {
  if (offset > memory.length || length > memory.length - offset) {
    throw Napi::RangeError::New(env, std::string(what) + " [" + std::to_string(offset) + ", +" +
                                         std::to_string(length) + ") is outside the memory's " +
                                         std::to_string(memory.length) + " accessible bytes");
  }
}

void ThrowErrno(Napi::Env env, const std::string& what) {
  int error = errno;
  throw Napi::Error::New(env, what + ": " + std::strerror(error));
}

Napi::Object CountsToObject(Napi::Env env, const SyscallCounts& counts) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("mmap", counts.mmap);
  object.Set("mprotect", counts.mprotect);
  object.Set("madvise", counts.madvise);
  object.Set("ioctl", counts.ioctl);
  object.Set("copies", counts.memcpyCalls);
  return object;
}

Napi::Object TimedResult(Napi::Env env, uint64_t ns, const SyscallCounts& counts) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("ns", Napi::Number::New(env, static_cast<double>(ns)));
  result.Set("syscalls", CountsToObject(env, counts));
  return result;
}

Napi::Value AddressToBigInt(Napi::Env env, const void* address) {
  return Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(address)));
}

}  // namespace wasm_cow
