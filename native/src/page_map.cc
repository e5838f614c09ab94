#include "page_map.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common.h"
#include "pagemap_abi.h"

namespace wasm_cow {

PageMap& PageMap::Instance() {
  static PageMap instance;
  return instance;
}

PageMap::PageMap() {
  fd_ = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return;

  // Support probe as in Wasmtime: a zero-length scan succeeds only where the ioctl exists.
  // WASM_COW_NO_PAGEMAP_SCAN=1 takes the path of kernels before 6.7 (Debian 12's 6.1), so
  // that path is tested on newer ones.
  PmScanArg probe{};
  probe.size = sizeof(probe);
  const char* noScan = getenv("WASM_COW_NO_PAGEMAP_SCAN");
  scanSupported_ = !(noScan && strcmp(noScan, "1") == 0) && ioctl(fd_, kPagemapScan, &probe) == 0;

  // Frame numbers read as zero without CAP_SYS_ADMIN: look at a page we just wrote, and
  // at one we only read (the shared zero page) to learn its frame.
  size_t page = HostPageSize();
  void* scratch = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (scratch == MAP_FAILED) return;
  volatile uint8_t* bytes = static_cast<volatile uint8_t*>(scratch);
  bytes[0] = 1;
  uint8_t sink = bytes[page];
  (void)sink;
  uint64_t entries[2] = {0, 0};
  if (ReadEntries(reinterpret_cast<uintptr_t>(scratch), 2, entries)) {
    pfnReadable_ = (entries[0] & kPagemapPfnMask) != 0;
    if (pfnReadable_ && (entries[1] & kPagemapPresent)) zeroPfn_ = entries[1] & kPagemapPfnMask;
  }
  munmap(scratch, 2 * page);
}

ScanResult PageMap::Scan(uintptr_t start, uintptr_t end, const ScanQuery& query,
                         const std::function<void(uintptr_t, uintptr_t, uint64_t)>& onRegion) const {
  ScanResult result;
  result.walkEnd = start;
  if (!scanSupported_) {
    errno = ENOTTY;
    return result;
  }
  // The kernel fills at most vec_len regions per call and reports where it stopped;
  // keep walking from there, so no region limit ever leaves part of the range unseen
  // (the 32-region cut-off Wasmtime's PR #14357 fixes).
  // One buffer per thread for every scan: a fresh one per call was freed and re-faulted
  // by glibc, which took longer than the ioctl.
  thread_local std::vector<PageRegion> regions(512);
  uintptr_t cursor = start;
  while (cursor < end) {
    PmScanArg arg{};
    arg.size = sizeof(arg);
    arg.start = cursor;
    arg.end = end;
    arg.vec = reinterpret_cast<uintptr_t>(regions.data());
    arg.vec_len = regions.size();
    arg.max_pages = query.maxPages ? query.maxPages - result.matchedPages : 0;
    arg.category_mask = query.categoryMask;
    arg.category_inverted = query.categoryInverted;
    arg.category_anyof_mask = query.categoryAnyOf;
    arg.return_mask = query.returnMask;
    int count = ioctl(fd_, kPagemapScan, &arg);
    result.ioctls++;
    if (count < 0) {
      if (errno == EINTR) continue;
      return result;
    }
    size_t page = HostPageSize();
    for (int i = 0; i < count; i++) {
      const PageRegion& region = regions[static_cast<size_t>(i)];
      result.matchedPages += (region.end - region.start) / page;
      onRegion(region.start, region.end, region.categories);
    }
    cursor = arg.walk_end;
    if (query.maxPages && result.matchedPages >= query.maxPages) break;
  }
  result.walkEnd = cursor < end ? cursor : end;
  result.ok = true;
  return result;
}

bool PageMap::ReadEntries(uintptr_t start, size_t pages, uint64_t* out) const {
  if (fd_ < 0) return false;
  size_t page = HostPageSize();
  size_t wanted = pages * sizeof(uint64_t);
  size_t done = 0;
  off_t offset = static_cast<off_t>((start / page) * sizeof(uint64_t));
  while (done < wanted) {
    ssize_t n = pread(fd_, reinterpret_cast<uint8_t*>(out) + done, wanted - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace wasm_cow
