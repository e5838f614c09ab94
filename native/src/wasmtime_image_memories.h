// Where Wasmtime's memories with a copy-on-write image are, found from outside: a memory
// Wasmtime gives no handle to (a component's core memories: the C API exports none) is
// still visible in /proc/self/maps as its memfd image mapping inside the memory's
// read-write range. The range runs from the end of the PROT_NONE guard before it to the
// next non-read-write mapping (real-wasmtime.md: "the memory base … is the end of the
// PROT_NONE guard region right before the memory's read-write region").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wasm_cow {

struct ImageMemory {
  uint64_t base;         // the first read-write byte: the memory's base
  uint64_t length;       // its accessible bytes
  uint64_t imageOffset;  // where the image mapping starts, from base
  uint64_t imageLength;  // its bytes (adjacent mappings of the same file counted as one)
  uint64_t inode;        // the memfd's inode: one per module image
};

// Every read-write range of this process holding a mapping of `fileName`; false when
// /proc/self/maps cannot be read.
bool FindImageMemories(const std::string& fileName, std::vector<ImageMemory>& out);

}  // namespace wasm_cow
