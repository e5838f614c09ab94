// Resetting linear memory to its pristine state (image bytes over the image, zeros
// elsewhere) with Wasmtime's three strategies (cow.rs `clear_and_remain_ready`):
//   madvise        one MADV_DONTNEED over the accessible range: private copies are
//                  dropped, the file mapping brings the image back, anonymous memory
//                  reads as zero again;
//   keep-resident  the first N bytes restored by memset/memcpy (no page faults on the
//                  next use), MADV_DONTNEED for the rest;
//   pagemap        PAGEMAP_SCAN finds the dirty pages (present or swapped, written,
//                  not file-backed, not the zero page) within the first N bytes' worth
//                  of pages; only those are restored by hand, and whatever the walk did
//                  not reach is MADV_DONTNEED'd. Swapped dirty pages are included, so
//                  the freshness gap of Wasmtime's PR #14357 cannot happen here.
#include <sys/mman.h>

#include <algorithm>
#include <string>

#include "common.h"
#include "image.h"
#include "operations.h"
#include "page_map.h"
#include "pagemap_abi.h"
#include "restore.h"

namespace wasm_cow {

namespace {

struct ResetOutcome {
  SyscallCounts counts;
  size_t bytesReset = 0;
  size_t bytesResident = 0;
  size_t pagesRestored = 0;
  std::string fellBack;  // why the pagemap strategy used the blind path, if it did
};

void Decommit(Napi::Env env, uint8_t* base, size_t from, size_t to, ResetOutcome& outcome) {
  if (to <= from) return;
  outcome.counts.madvise++;
  if (madvise(base + from, to - from, MADV_DONTNEED) != 0) ThrowErrno(env, "madvise(MADV_DONTNEED) failed");
}

void KeepResident(Napi::Env env, const LinearMemory& memory, size_t keep, const MappedImage& mapped,
                  ResetOutcome& outcome) {
  keep = std::min(keep, memory.length);
  RestoreRange(memory.base, 0, keep, mapped, outcome.counts);
  Decommit(env, memory.base, keep, memory.length, outcome);
  outcome.bytesResident = keep;
}

void PagemapReset(Napi::Env env, const LinearMemory& memory, size_t keep, const MappedImage& mapped,
                  ResetOutcome& outcome) {
  const PageMap& pagemap = PageMap::Instance();
  size_t page = HostPageSize();
  // Wasmtime's conditions for the blind path.
  if (keep == 0)
    outcome.fellBack = "keep-resident is 0";
  else if (keep <= page && memory.length <= page)
    outcome.fellBack = "a single page";
  else if (!pagemap.scanSupported())
    outcome.fellBack = "PAGEMAP_SCAN is not supported by this kernel";
  if (!outcome.fellBack.empty()) {
    KeepResident(env, memory, 0, mapped, outcome);
    return;
  }
  ScanQuery query;
  query.categoryMask = kPageIsWritten | kPageIsFile | kPageIsPfnZero;
  query.categoryInverted = kPageIsFile | kPageIsPfnZero;
  query.categoryAnyOf = kPageIsPresent | kPageIsSwapped;
  query.maxPages = keep / page;
  uintptr_t start = reinterpret_cast<uintptr_t>(memory.base);
  ScanResult scan = pagemap.Scan(start, start + memory.length, query, [&](uintptr_t from, uintptr_t to, uint64_t) {
    RestoreRange(memory.base, from - start, to - start, mapped, outcome.counts);
    outcome.bytesResident += to - from;
    outcome.pagesRestored += (to - from) / page;
  });
  outcome.counts.ioctl += scan.ioctls;
  if (!scan.ok) {
    outcome.fellBack = "PAGEMAP_SCAN failed";
    Decommit(env, memory.base, 0, memory.length, outcome);
    outcome.bytesResident = 0;
    return;
  }
  Decommit(env, memory.base, scan.walkEnd - start, memory.length, outcome);
}

// reset(memory, expectedBase, strategy, keepResident, image | null, imageOffset)
Napi::Value Reset(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) {
    throw Napi::TypeError::New(
        env, "reset(memory, expectedBase, strategy, keepResident, image, imageOffset) takes 6 arguments");
  }
  LinearMemory memory = GetMemory(env, info[0], "memory");
  CheckBase(env, memory, info[1]);
  if (!info[2].IsString()) throw Napi::TypeError::New(env, "strategy must be a string");
  std::string strategy = info[2].As<Napi::String>().Utf8Value();
  size_t keep = GetSize(env, info[3], "keepResident");
  CheckPageAligned(env, keep, "keepResident");
  MappedImage mapped;
  if (!info[4].IsNull()) {
    mapped.image = Image::FromValue(env, info[4], "image");
    mapped.offset = GetSize(env, info[5], "imageOffset");
    CheckPageAligned(env, mapped.offset, "imageOffset");
    CheckInside(env, memory, mapped.offset, mapped.image->length(), "image range");
  }

  ResetOutcome outcome;
  uint64_t started = MonotonicNs();
  if (strategy == "madvise")
    KeepResident(env, memory, 0, mapped, outcome);
  else if (strategy == "keep-resident")
    KeepResident(env, memory, keep, mapped, outcome);
  else if (strategy == "pagemap")
    PagemapReset(env, memory, keep, mapped, outcome);
  else
    throw Napi::TypeError::New(env, "strategy must be \"madvise\", \"keep-resident\" or \"pagemap\"");
  uint64_t ns = MonotonicNs() - started;
  outcome.bytesReset = memory.length;

  Napi::Object result = TimedResult(env, ns, outcome.counts);
  result.Set("bytesReset", Napi::Number::New(env, static_cast<double>(outcome.bytesReset)));
  result.Set("bytesResident", Napi::Number::New(env, static_cast<double>(outcome.bytesResident)));
  result.Set("pagesRestored", Napi::Number::New(env, static_cast<double>(outcome.pagesRestored)));
  result.Set("fellBack", outcome.fellBack.empty() ? env.Null() : Napi::String::New(env, outcome.fellBack));
  return result;
}

}  // namespace

void RegisterReset(Napi::Env env, Napi::Object exports) {
  exports.Set("reset", Napi::Function::New(env, Reset, "reset"));
}

}  // namespace wasm_cow
