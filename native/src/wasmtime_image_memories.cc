#include "wasmtime_image_memories.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace wasm_cow {

namespace {

struct Vma {
  uint64_t start;
  uint64_t end;
  bool readWrite;
  uint64_t inode;
  std::string name;
};

bool ReadMaps(std::vector<Vma>& out) {
  FILE* file = fopen("/proc/self/maps", "re");
  if (!file) return false;
  char line[4352];
  while (fgets(line, sizeof line, file)) {
    uint64_t start = 0, end = 0, inode = 0;
    char perms[5] = {};
    int nameAt = 0;
    if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %*s %*s %" SCNu64 " %n", &start, &end, perms, &inode, &nameAt) < 4) {
      continue;
    }
    std::string name(line + nameAt);
    while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
    out.push_back({start, end, perms[0] == 'r' && perms[1] == 'w', inode, name});
  }
  fclose(file);
  return true;
}

}  // namespace

bool FindImageMemories(const std::string& fileName, std::vector<ImageMemory>& out) {
  std::vector<Vma> vmas;
  if (!ReadMaps(vmas)) return false;
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
