#include "wasmtime_image_memories.h"

#include "vmas.h"

namespace wasm_cow {

bool FindImageMemories(const std::string& fileName, std::vector<ImageMemory>& out) {
  std::vector<Vma> vmas;
  if (!ReadVmas(0, UINT64_MAX, vmas)) return false;
  for (size_t i = 0; i < vmas.size(); i++) {
    if (vmas[i].name != fileName || !vmas[i].readWrite) continue;
    // An mprotect may split the image's mapping: adjacent mappings of the same inode are one.
    if (i > 0 && vmas[i - 1].end == vmas[i].start && vmas[i - 1].inode == vmas[i].inode &&
        vmas[i - 1].name == fileName) {
      continue;
    }
    size_t first = i, last = i;
    while (first > 0 && vmas[first - 1].readWrite && vmas[first - 1].end == vmas[first].start) first--;
    while (last + 1 < vmas.size() && vmas[last + 1].readWrite && vmas[last + 1].start == vmas[last].end) last++;
    uint64_t imageEnd = vmas[i].end;
    for (size_t next = i + 1; next <= last && vmas[next].inode == vmas[i].inode && vmas[next].name == fileName;
         next++) {
      imageEnd = vmas[next].end;
    }
    out.push_back({vmas[first].start, vmas[last].end - vmas[first].start, vmas[i].start - vmas[first].start,
                   imageEnd - vmas[i].start, vmas[i].inode});
  }
  return true;
}

}  // namespace wasm_cow
