// Mapping an image into linear memory and removing it, as Wasmtime's MemoryImageSlot
// does: the image is a MAP_PRIVATE|MAP_FIXED file mapping over part of the memory, and
// removing it maps fresh anonymous memory over exactly the old image range.
#include <sys/mman.h>

#include "common.h"
#include "image.h"
#include "operations.h"

namespace wasm_cow {

namespace {

// memoryBase(memory): the address of linear memory, for liveness checks and display.
Napi::Value MemoryBase(const Napi::CallbackInfo& info) {
  LinearMemory memory = GetMemory(info.Env(), info[0], "memory", SharedMemory::kAccept);
  return AddressToBigInt(info.Env(), memory.base);
}

// mapImage(memory, offset, image) → { base, ns, syscalls }
Napi::Value MapImage(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 3) throw Napi::TypeError::New(env, "mapImage(memory, offset, image) takes 3 arguments");
  LinearMemory memory = GetMemory(env, info[0], "memory");
  size_t offset = GetSize(env, info[1], "offset");
  Image* image = Image::FromValue(env, info[2], "image");
  CheckPageAligned(env, offset, "offset");
  CheckInside(env, memory, offset, image->length(), "image range");

  SyscallCounts counts;
  uint64_t started = MonotonicNs();
  void* target = memory.base + offset;
  void* mapped = mmap(target, image->length(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, image->fd(), 0);
  counts.mmap++;
  if (mapped == MAP_FAILED) ThrowErrno(env, "mmap of the image failed");
  uint64_t ns = MonotonicNs() - started;

  Napi::Object result = TimedResult(env, ns, counts);
  result.Set("base", AddressToBigInt(env, memory.base));
  return result;
}

// unmapImage(memory, expectedBase, offset, length) → { ns, syscalls }
Napi::Value UnmapImage(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 4) {
    throw Napi::TypeError::New(env, "unmapImage(memory, expectedBase, offset, length) takes 4 arguments");
  }
  LinearMemory memory = GetMemory(env, info[0], "memory");
  CheckBase(env, memory, info[1]);
  size_t offset = GetSize(env, info[2], "offset");
  size_t length = GetSize(env, info[3], "length");
  CheckPageAligned(env, offset, "offset");
  CheckPageAligned(env, length, "length");
  if (length == 0) throw Napi::RangeError::New(env, "length must be positive");
  CheckInside(env, memory, offset, length, "image range");

  SyscallCounts counts;
  uint64_t started = MonotonicNs();
  void* mapped = mmap(memory.base + offset, length, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  counts.mmap++;
  if (mapped == MAP_FAILED) ThrowErrno(env, "anonymous mmap over the image failed");
  uint64_t ns = MonotonicNs() - started;

  return TimedResult(env, ns, counts);
}

}  // namespace

void RegisterMapping(Napi::Env env, Napi::Object exports) {
  exports.Set("memoryBase", Napi::Function::New(env, MemoryBase, "memoryBase"));
  exports.Set("mapImage", Napi::Function::New(env, MapImage, "mapImage"));
  exports.Set("unmapImage", Napi::Function::New(env, UnmapImage, "unmapImage"));
}

}  // namespace wasm_cow
