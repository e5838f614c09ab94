// A snapshot of every host page of a linear memory, taken in one call: pages per state,
// and on request one state byte per page. With PAGEMAP_SCAN (coalesced regions, so
// untouched gigabytes cost nothing) where the kernel has it, otherwise from
// /proc/self/pagemap entries. For the image
// range it also reads the pagemap entries themselves, to tell pages shared with other
// mappings of the same image from exclusive ones and, where readable, their frames.
#include "page_state.h"

#include <algorithm>
#include <vector>

#include "common.h"
#include "operations.h"
#include "page_map.h"
#include "pagemap_abi.h"

namespace wasm_cow {

namespace {

// Keep in sync with extension/runner/page-states.ts.
enum PageState : uint8_t {
  kNotPresent = 0,
  kZero = 1,        // the shared zero page (read, never written)
  kImageClean = 2,  // a page-cache page of the image (read, never written)
  kImageDirty = 3,  // a private copy of an image page (written)
  kAnonDirty = 4,   // a private page outside the image (written)
  kSwapped = 5,
};

struct Range {
  size_t imageFirst;  // first page of the image, in pages from the memory base
  size_t imageEnd;    // one past its last page
  bool InImage(size_t page) const { return page >= imageFirst && page < imageEnd; }
};

PageState FromCategories(uint64_t categories, bool inImage) {
  if (categories & kPageIsSwapped) return kSwapped;
  if (categories & kPageIsPfnZero) return kZero;
  if (categories & kPageIsFile) return kImageClean;
  return inImage ? kImageDirty : kAnonDirty;
}

PageState FromEntry(uint64_t entry, bool inImage, const PageMap& pagemap) {
  if (entry & kPagemapSwapped) return kSwapped;
  if (!(entry & kPagemapPresent)) return kNotPresent;
  if (entry & kPagemapFileOrSharedAnon) return kImageClean;
  if (pagemap.pfnReadable()) {
    if ((entry & kPagemapPfnMask) == pagemap.zeroPfn()) return kZero;
  } else if (!(entry & kPagemapExclusive)) {
    // Without frames, a present anonymous page that is not exclusively mapped is the
    // shared zero page (verified on this machine kind, see linux-memory-facts.md).
    return kZero;
  }
  return inImage ? kImageDirty : kAnonDirty;
}

// Consecutive pages in one state. A snapshot is a handful of runs (a fresh or reset slot
// is one run of pages not present), so the counts, the sharing pass and the optional
// per-page states are all derived from them, never from a pass over every page.
struct PageRun {
  size_t first;
  size_t end;
  PageState state;
};

// Appends pages [first, end) in `state`, merging with the previous run where they meet.
void AddRun(std::vector<PageRun>& runs, size_t first, size_t end, PageState state) {
  if (first == end) return;
  if (!runs.empty() && runs.back().end == first && runs.back().state == state) {
    runs.back().end = end;
  } else {
    runs.push_back({first, end, state});
  }
}

// A region the scan reported, split where the image begins and ends (a dirty page is an
// image page or not by where it lies).
void AddRegion(std::vector<PageRun>& runs, size_t first, size_t end, uint64_t categories, const Range& range) {
  size_t imageFirst = std::clamp(range.imageFirst, first, end);
  size_t imageEnd = std::clamp(range.imageEnd, imageFirst, end);
  AddRun(runs, first, imageFirst, FromCategories(categories, false));
  AddRun(runs, imageFirst, imageEnd, FromCategories(categories, true));
  AddRun(runs, imageEnd, end, FromCategories(categories, false));
}

// The present and swapped pages as runs, with PAGEMAP_SCAN; false if the kernel refused.
bool ScanRuns(const PageMap& pagemap, uintptr_t start, size_t pages, const Range& range, std::vector<PageRun>& runs) {
  if (!pagemap.scanSupported()) return false;
  size_t pageSize = HostPageSize();
  ScanQuery query;
  query.categoryAnyOf = kPageIsPresent | kPageIsSwapped;
  query.returnMask = kPageIsPresent | kPageIsSwapped | kPageIsFile | kPageIsPfnZero;
  ScanResult scan =
      pagemap.Scan(start, start + pages * pageSize, query, [&](uintptr_t from, uintptr_t to, uint64_t categories) {
        AddRegion(runs, (from - start) / pageSize, (to - start) / pageSize, categories, range);
      });
  if (!scan.ok) runs.clear();
  return scan.ok;
}

// The same runs from every page's /proc/self/pagemap entry (kernels before 6.7).
void ReadRuns(Napi::Env env, const PageMap& pagemap, uintptr_t start, size_t pages, const Range& range,
              std::vector<PageRun>& runs) {
  constexpr size_t kChunk = 65536;
  std::vector<uint64_t> entries(std::min(pages, kChunk));
  for (size_t first = 0; first < pages; first += kChunk) {
    size_t count = std::min(kChunk, pages - first);
    if (!pagemap.ReadEntries(start + first * HostPageSize(), count, entries.data())) {
      ThrowErrno(env, "reading /proc/self/pagemap failed");
    }
    for (size_t i = 0; i < count; i++) {
      PageState state = FromEntry(entries[i], range.InImage(first + i), pagemap);
      if (state != kNotPresent) AddRun(runs, first + i, first + i + 1, state);
    }
  }
}

// snapshot(memory, imageOffset, imageLength, withStates = true) →
//   { tally, states, method, ns, imageSharedPages, imageExclusivePages, imageFrames }
Napi::Value Snapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || info.Length() > 4)
    throw Napi::TypeError::New(env, "snapshot(memory, imageOffset, imageLength, withStates?) takes 3 or 4 arguments");
  return SnapshotOf(env, GetMemory(env, info[0], "memory", SharedMemory::kAccept), info[1], info[2], info[3]);
}

}  // namespace

Napi::Value SnapshotOf(Napi::Env env, const LinearMemory& memory, const Napi::Value& imageOffsetValue,
                       const Napi::Value& imageLengthValue, const Napi::Value& withStatesValue) {
  size_t imageOffset = GetSize(env, imageOffsetValue, "imageOffset");
  size_t imageLength = GetSize(env, imageLengthValue, "imageLength");
  CheckPageAligned(env, imageOffset, "imageOffset");
  CheckPageAligned(env, imageLength, "imageLength");
  CheckInside(env, memory, imageOffset, imageLength, "image range");
  if (!withStatesValue.IsUndefined() && !withStatesValue.IsBoolean())
    throw Napi::TypeError::New(env, "withStates must be a boolean");
  bool withStates = withStatesValue.IsUndefined() || withStatesValue.As<Napi::Boolean>().Value();
  const PageMap& pagemap = PageMap::Instance();
  if (!pagemap.open()) ThrowErrno(env, "cannot open /proc/self/pagemap");

  size_t pageSize = HostPageSize();
  size_t pages = memory.length / pageSize;
  Range range{imageOffset / pageSize, (imageOffset + imageLength) / pageSize};
  uintptr_t start = reinterpret_cast<uintptr_t>(memory.base);
  uint64_t started = MonotonicNs();

  // Reused by every snapshot on this thread: allocating per call made glibc return and
  // re-fault the memory, which cost more than the scan itself.
  thread_local std::vector<PageRun> runs;
  runs.clear();
  const char* method = "pagemap-scan";
  if (!ScanRuns(pagemap, start, pages, range, runs)) {
    method = "pagemap";
    ReadRuns(env, pagemap, start, pages, range, runs);
  }

  // Pages per state; the pages in no run are not present.
  constexpr size_t kStates = 6;
  uint32_t counts[kStates] = {};
  size_t covered = 0;
  for (const PageRun& run : runs) {
    counts[run.state] += static_cast<uint32_t>(run.end - run.first);
    covered += run.end - run.first;
  }
  counts[kNotPresent] = static_cast<uint32_t>(pages - covered);

  // Sharing of the image's clean pages: the exclusive bit, and frames where readable.
  // Only runs of clean image pages can be shared, so only their entries are read.
  size_t imagePages = range.imageEnd - range.imageFirst;
  uint32_t shared = 0;
  uint32_t exclusive = 0;
  // The frames array is made at the first clean image page: a snapshot after every step
  // of a big image with none (a fresh or just reset slot) would allocate it for nothing.
  // A snapshot for counts only (withStates false, what every step of `wasm-cow run`
  // takes) has none: they are per-page data, 8 bytes per image page (2 MiB per step for
  // a 1 GiB image), that no step record carries.
  Napi::Value frames = env.Null();
  uint64_t* frameSlots = nullptr;
  auto frameSlotsFor = [&]() -> uint64_t* {
    if (!withStates) return nullptr;  // counts only: no per-page data, frames included
    if (!frameSlots) {
      Napi::ArrayBuffer frameBuffer = Napi::ArrayBuffer::New(env, imagePages * sizeof(uint64_t));  // zero-filled
      frameSlots = static_cast<uint64_t*>(frameBuffer.Data());
      frames = Napi::BigUint64Array::New(env, imagePages, frameBuffer, 0);
    }
    return frameSlots;
  };
  std::vector<uint64_t> entries;
  for (const PageRun& run : runs) {
    // Clean runs lie inside the image or outside it entirely (AddRegion splits them).
    if (run.state != kImageClean || !range.InImage(run.first)) continue;
    entries.resize(run.end - run.first);
    if (!pagemap.ReadEntries(start + run.first * pageSize, entries.size(), entries.data())) {
      ThrowErrno(env, "reading /proc/self/pagemap failed");
    }
    for (size_t i = 0; i < entries.size(); i++) {
      uint64_t entry = entries[i];
      if (!(entry & kPagemapPresent) || !(entry & kPagemapFileOrSharedAnon)) continue;  // changed since the scan
      ((entry & kPagemapExclusive) ? exclusive : shared)++;
      if (!pagemap.pfnReadable()) continue;
      if (uint64_t* slots = frameSlotsFor()) slots[run.first - range.imageFirst + i] = entry & kPagemapPfnMask;
    }
  }

  // One byte per page only when asked: the counts are all most steps need.
  Napi::Value states = env.Null();
  if (withStates) {
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, pages);
    uint8_t* bytes = static_cast<uint8_t*>(buffer.Data());
    std::fill(bytes, bytes + pages, kNotPresent);
    for (const PageRun& run : runs) std::fill(bytes + run.first, bytes + run.end, run.state);
    states = Napi::Uint8Array::New(env, pages, buffer, 0);
  }
  uint64_t ns = MonotonicNs() - started;

  Napi::Array tally = Napi::Array::New(env, kStates);
  for (size_t i = 0; i < kStates; i++) tally.Set(static_cast<uint32_t>(i), counts[i]);
  Napi::Object result = Napi::Object::New(env);
  result.Set("tally", tally);
  result.Set("states", states);
  result.Set("method", method);
  result.Set("ns", Napi::Number::New(env, static_cast<double>(ns)));
  result.Set("imageSharedPages", shared);
  result.Set("imageExclusivePages", exclusive);
  result.Set("imageFrames", frames);
  return result;
}

void RegisterPageState(Napi::Env env, Napi::Object exports) {
  exports.Set("snapshot", Napi::Function::New(env, Snapshot, "snapshot"));
}

}  // namespace wasm_cow
