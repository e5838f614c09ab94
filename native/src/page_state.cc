// A snapshot of every host page of a linear memory, one state byte per page, taken in
// one call: with PAGEMAP_SCAN (coalesced regions, so untouched gigabytes cost nothing)
// where the kernel has it, otherwise from /proc/self/pagemap entries. For the image
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

void ReadAllEntries(Napi::Env env, const PageMap& pagemap, uintptr_t start, size_t pages, uint8_t* states,
                    const Range& range) {
  constexpr size_t kChunk = 65536;
  std::vector<uint64_t> entries(std::min(pages, kChunk));
  for (size_t first = 0; first < pages; first += kChunk) {
    size_t count = std::min(kChunk, pages - first);
    if (!pagemap.ReadEntries(start + first * HostPageSize(), count, entries.data())) {
      ThrowErrno(env, "reading /proc/self/pagemap failed");
    }
    for (size_t i = 0; i < count; i++) states[first + i] = FromEntry(entries[i], range.InImage(first + i), pagemap);
  }
}

// snapshot(memory, imageOffset, imageLength) →
//   { states: Uint8Array, method, ns, imageSharedPages, imageExclusivePages, imageFrames }
Napi::Value Snapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 3)
    throw Napi::TypeError::New(env, "snapshot(memory, imageOffset, imageLength) takes 3 arguments");
  return SnapshotOf(env, GetMemory(env, info[0], "memory"), info[1], info[2]);
}

}  // namespace

Napi::Value SnapshotOf(Napi::Env env, const LinearMemory& memory, const Napi::Value& imageOffsetValue,
                       const Napi::Value& imageLengthValue) {
  size_t imageOffset = GetSize(env, imageOffsetValue, "imageOffset");
  size_t imageLength = GetSize(env, imageLengthValue, "imageLength");
  CheckPageAligned(env, imageOffset, "imageOffset");
  CheckPageAligned(env, imageLength, "imageLength");
  CheckInside(env, memory, imageOffset, imageLength, "image range");
  const PageMap& pagemap = PageMap::Instance();
  if (!pagemap.open()) ThrowErrno(env, "cannot open /proc/self/pagemap");

  size_t pageSize = HostPageSize();
  size_t pages = memory.length / pageSize;
  Range range{imageOffset / pageSize, (imageOffset + imageLength) / pageSize};
  uintptr_t start = reinterpret_cast<uintptr_t>(memory.base);
  uint64_t started = MonotonicNs();

  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, pages);
  uint8_t* states = static_cast<uint8_t*>(buffer.Data());
  std::fill(states, states + pages, kNotPresent);
  const char* method = "pagemap-scan";
  bool scanned = false;
  if (pagemap.scanSupported()) {
    ScanQuery query;
    query.categoryAnyOf = kPageIsPresent | kPageIsSwapped;
    query.returnMask = kPageIsPresent | kPageIsSwapped | kPageIsFile | kPageIsPfnZero;
    ScanResult scan =
        pagemap.Scan(start, start + pages * pageSize, query, [&](uintptr_t from, uintptr_t to, uint64_t categories) {
          for (size_t page = (from - start) / pageSize; page < (to - start) / pageSize; page++) {
            states[page] = FromCategories(categories, range.InImage(page));
          }
        });
    scanned = scan.ok;
  }
  if (!scanned) {
    method = "pagemap";
    ReadAllEntries(env, pagemap, start, pages, states, range);
  }

  // Sharing of the image's clean pages: the exclusive bit, and frames where readable.
  // Only runs of clean image pages can be shared, so only their entries are read.
  size_t imagePages = range.imageEnd - range.imageFirst;
  uint32_t shared = 0;
  uint32_t exclusive = 0;
  // The frames array is made at the first clean image page: a snapshot after every step
  // of a big image with none (a fresh or just reset slot) would allocate it for nothing.
  Napi::Value frames = env.Null();
  uint64_t* frameSlots = nullptr;
  auto frameSlotsFor = [&]() -> uint64_t* {
    if (!frameSlots) {
      Napi::ArrayBuffer frameBuffer = Napi::ArrayBuffer::New(env, imagePages * sizeof(uint64_t));  // zero-filled
      frameSlots = static_cast<uint64_t*>(frameBuffer.Data());
      frames = Napi::BigUint64Array::New(env, imagePages, frameBuffer, 0);
    }
    return frameSlots;
  };
  std::vector<uint64_t> entries;
  for (size_t page = range.imageFirst; page < range.imageEnd;) {
    if (states[page] != kImageClean) {
      page++;
      continue;
    }
    size_t runEnd = page;
    while (runEnd < range.imageEnd && states[runEnd] == kImageClean) runEnd++;
    entries.resize(runEnd - page);
    if (!pagemap.ReadEntries(start + page * pageSize, entries.size(), entries.data())) {
      ThrowErrno(env, "reading /proc/self/pagemap failed");
    }
    for (size_t i = 0; i < entries.size(); i++) {
      uint64_t entry = entries[i];
      if (!(entry & kPagemapPresent) || !(entry & kPagemapFileOrSharedAnon)) continue;  // changed since the scan
      ((entry & kPagemapExclusive) ? exclusive : shared)++;
      if (pagemap.pfnReadable()) frameSlotsFor()[page - range.imageFirst + i] = entry & kPagemapPfnMask;
    }
    page = runEnd;
  }
  // Pages per state, counted here: the same loop in JS costs several microseconds for a
  // 16 MiB memory, after every step.
  constexpr size_t kStates = 6;
  Napi::Uint32Array tally = Napi::Uint32Array::New(env, kStates);  // zero-filled
  for (size_t page = 0; page < pages; page++) {
    if (states[page] < kStates) tally[states[page]]++;
  }
  uint64_t ns = MonotonicNs() - started;

  Napi::Object result = Napi::Object::New(env);
  result.Set("tally", tally);
  result.Set("states", Napi::Uint8Array::New(env, pages, buffer, 0));
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
