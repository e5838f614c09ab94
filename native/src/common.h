// Shared pieces of the addon: argument validation that turns every bad argument into a
// JS exception (no argument may crash the process), the linear memory behind a
// WebAssembly.Memory, monotonic timing and syscall counting.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace wasm_cow {

size_t HostPageSize();
uint64_t MonotonicNs();

// The accessible bytes of a WebAssembly.Memory, read from its current `buffer` (V8 keeps
// linear memory at the buffer's data pointer, page aligned).
struct LinearMemory {
  uint8_t* base;
  size_t length;
};

// Whether an entry point takes a shared memory: those that only read (page states, the
// base address, accounting) do; those that map or reset cannot (a shared memory cannot
// take a private copy-on-write mapping).
enum class SharedMemory { kRefuse, kAccept };

// Throws a TypeError unless `value` is a WebAssembly.Memory, and a non-shared one unless
// `shared` accepts them.
LinearMemory GetMemory(Napi::Env env, const Napi::Value& value, const char* what,
                       SharedMemory shared = SharedMemory::kRefuse);

// Throws unless `expected` (the base recorded when the image was mapped) is the
// memory's base now: if V8 ever moved the memory, the mapping is gone.
void CheckBase(Napi::Env env, const LinearMemory& memory, const Napi::Value& expected);

// A non-negative integer argument (a JS number, or a BigInt) that fits in size_t.
size_t GetSize(Napi::Env env, const Napi::Value& value, const char* what);

// Throws a RangeError unless `offset` is host-page aligned.
void CheckPageAligned(Napi::Env env, size_t offset, const char* what);

// Throws a RangeError unless [offset, offset + length) lies inside the memory.
void CheckInside(Napi::Env env, const LinearMemory& memory, size_t offset, size_t length, const char* what);

[[noreturn]] void ThrowErrno(Napi::Env env, const std::string& what);

// Syscalls made by one operation, reported with its duration.
struct SyscallCounts {
  uint32_t mmap = 0;
  uint32_t mprotect = 0;
  uint32_t madvise = 0;
  uint32_t ioctl = 0;
  uint32_t memcpyCalls = 0;
};

Napi::Object CountsToObject(Napi::Env env, const SyscallCounts& counts);

// { ns, syscalls }: what every timed operation returns (more fields may be added to it).
Napi::Object TimedResult(Napi::Env env, uint64_t ns, const SyscallCounts& counts);

Napi::Value AddressToBigInt(Napi::Env env, const void* address);

}  // namespace wasm_cow
