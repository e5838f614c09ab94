// The mappings (VMAs) of this process as the text of /proc/self/maps lists them: one
// reader for every part of the addon that needs them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wasm_cow {

struct Vma {
  uint64_t start;
  uint64_t end;
  bool readWrite;  // mapped readable and writable
  uint64_t inode;
  std::string name;
};

// The mappings overlapping [from, to), in address order; false when the file cannot be read.
bool ReadVmas(uint64_t from, uint64_t to, std::vector<Vma>& out);

}  // namespace wasm_cow
