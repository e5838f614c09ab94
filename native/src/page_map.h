// /proc/self/pagemap, opened once: the PAGEMAP_SCAN ioctl (coalesced regions with
// category bits) where the kernel has it, and plain 64-bit entries otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace wasm_cow {

struct ScanQuery {
  uint64_t categoryMask = 0;      // these categories (after inversion) must all be set
  uint64_t categoryInverted = 0;  // categories tested for absence instead of presence
  uint64_t categoryAnyOf = 0;     // at least one of these must be set (0: no condition)
  uint64_t returnMask = 0;        // categories reported; regions coalesce on them
  uint64_t maxPages = 0;          // stop after this many matching pages (0: no limit)
};

struct ScanResult {
  bool ok = false;  // false: the ioctl failed (errno tells why)
  uintptr_t walkEnd = 0;
  uint32_t ioctls = 0;
  uint64_t matchedPages = 0;
};

class PageMap {
 public:
  static PageMap& Instance();

  bool open() const { return fd_ >= 0; }
  bool scanSupported() const { return scanSupported_; }
  // True when entries carry page frame numbers (CAP_SYS_ADMIN).
  bool pfnReadable() const { return pfnReadable_; }
  // The frame of the shared zero page, when frames are readable (else 0).
  uint64_t zeroPfn() const { return zeroPfn_; }

  ScanResult Scan(uintptr_t start, uintptr_t end, const ScanQuery& query,
                  const std::function<void(uintptr_t, uintptr_t, uint64_t)>& onRegion) const;

  // Reads `pages` entries for the pages starting at `start` into `out`.
  bool ReadEntries(uintptr_t start, size_t pages, uint64_t* out) const;

 private:
  PageMap();
  int fd_ = -1;
  bool scanSupported_ = false;
  bool pfnReadable_ = false;
  uint64_t zeroPfn_ = 0;
};

}  // namespace wasm_cow
