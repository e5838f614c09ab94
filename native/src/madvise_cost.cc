// What a reset costs as a function of the range it is given (Wasmtime PR #4040's open
// question: madvise seemed to get slower with the size of the range, even over memory
// that is PROT_NONE). One reservation shaped like a Wasmtime slot: an accessible part
// (read-write) followed by a PROT_NONE part (the rest of the slot and its guard region),
// both MAP_NORESERVE anonymous memory, made once per call. Each repetition dirties the
// asked number of pages, spread evenly over the accessible part, then times one call:
//   accessible  madvise(MADV_DONTNEED) of the accessible part (Wasmtime's reset)
//   whole       madvise(MADV_DONTNEED) of accessible + PROT_NONE parts
//   protNone    madvise(MADV_DONTNEED) of the PROT_NONE part alone (nothing to free)
//   mprotect    mprotect of the accessible part to PROT_NONE and back (two calls timed
//               together: what shrinking and regrowing the accessible part costs)
#include <sys/mman.h>

#include <string>
#include <vector>

#include "common.h"
#include "operations.h"

namespace wasm_cow {

namespace {

class Reservation {
 public:
  Reservation(Napi::Env env, size_t accessible, size_t protNone) : length_(accessible + protNone) {
    void* base = mmap(nullptr, length_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) ThrowErrno(env, "cannot reserve " + std::to_string(length_) + " bytes");
    base_ = static_cast<uint8_t*>(base);
    if (accessible > 0 && mprotect(base_, accessible, PROT_READ | PROT_WRITE) != 0) {
      int error = errno;
      munmap(base_, length_);
      errno = error;
      ThrowErrno(env, "mprotect of the accessible part failed");
    }
  }
  ~Reservation() { munmap(base_, length_); }
  uint8_t* base() const { return base_; }

 private:
  uint8_t* base_ = nullptr;
  size_t length_;
};

// madviseCost(accessibleBytes, protNoneBytes, dirtyPages, repeats)
//   → { accessible, whole, protNone, mprotect }: ns per repetition, arrays
Napi::Value MadviseCost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 4) {
    throw Napi::TypeError::New(env,
                               "madviseCost(accessibleBytes, protNoneBytes, dirtyPages, repeats) takes 4 arguments");
  }
  size_t accessible = GetSize(env, info[0], "accessibleBytes");
  size_t protNone = GetSize(env, info[1], "protNoneBytes");
  size_t dirtyPages = GetSize(env, info[2], "dirtyPages");
  size_t repeats = GetSize(env, info[3], "repeats");
  size_t page = HostPageSize();
  CheckPageAligned(env, accessible, "accessibleBytes");
  CheckPageAligned(env, protNone, "protNoneBytes");
  if (accessible == 0 || protNone == 0) {
    throw Napi::RangeError::New(env, "both the accessible and the PROT_NONE part need at least one page");
  }
  if (accessible + protNone < accessible || accessible + protNone > (size_t{1} << 46)) {
    throw Napi::RangeError::New(env, "the reservation must be at most 64 TiB");
  }
  if (dirtyPages > accessible / page) {
    throw Napi::RangeError::New(
        env, "dirtyPages exceeds the accessible part's " + std::to_string(accessible / page) + " pages");
  }
  if (repeats == 0 || repeats > 100000) throw Napi::RangeError::New(env, "repeats must be 1 to 100000");

  Reservation reservation(env, accessible, protNone);
  uint8_t* base = reservation.base();
  size_t accessiblePages = accessible / page;
  auto dirty = [&] {
    for (size_t i = 0; i < dirtyPages; i++) base[(i * accessiblePages / dirtyPages) * page] = 1;
  };
  auto timed = [&](void* start, size_t length, const char* what) -> double {
    dirty();
    uint64_t started = MonotonicNs();
    if (madvise(start, length, MADV_DONTNEED) != 0) ThrowErrno(env, std::string("madvise of the ") + what + " failed");
    return static_cast<double>(MonotonicNs() - started);
  };

  Napi::Array accessibleNs = Napi::Array::New(env, repeats);
  Napi::Array wholeNs = Napi::Array::New(env, repeats);
  Napi::Array protNoneNs = Napi::Array::New(env, repeats);
  Napi::Array mprotectNs = Napi::Array::New(env, repeats);
  for (size_t r = 0; r < repeats; r++) {
    uint32_t i = static_cast<uint32_t>(r);
    accessibleNs.Set(i, timed(base, accessible, "accessible part"));
    wholeNs.Set(i, timed(base, accessible + protNone, "whole reservation"));
    protNoneNs.Set(i, timed(base + accessible, protNone, "PROT_NONE part"));
    dirty();
    uint64_t started = MonotonicNs();
    if (mprotect(base, accessible, PROT_NONE) != 0 || mprotect(base, accessible, PROT_READ | PROT_WRITE) != 0) {
      ThrowErrno(env, "mprotect of the accessible part failed");
    }
    mprotectNs.Set(i, static_cast<double>(MonotonicNs() - started));
    madvise(base, accessible, MADV_DONTNEED);  // start the next repetition from nothing
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("accessible", accessibleNs);
  result.Set("whole", wholeNs);
  result.Set("protNone", protNoneNs);
  result.Set("mprotect", mprotectNs);
  return result;
}

}  // namespace

void RegisterMadviseCost(Napi::Env env, Napi::Object exports) {
  exports.Set("madviseCost", Napi::Function::New(env, MadviseCost, "madviseCost"));
}

}  // namespace wasm_cow
