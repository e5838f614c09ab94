// Restoring a range of linear memory by hand to its pristine state: image bytes where
// the image lies, zeros elsewhere (Wasmtime's `reset_manually`).
#pragma once

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace wasm_cow {

class Image;

// The image mapped into a memory, if any, with its offset in linear memory.
struct MappedImage {
  const Image* image = nullptr;
  size_t offset = 0;
};

void RestoreRange(uint8_t* base, size_t from, size_t to, const MappedImage& mapped, SyscallCounts& counts);

}  // namespace wasm_cow
