#include "vmas.h"

#include <cinttypes>
#include <cstdio>

namespace wasm_cow {

bool ReadVmas(uint64_t from, uint64_t to, std::vector<Vma>& out) {
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
    if (end <= from || start >= to) continue;
    std::string name(line + nameAt);
    while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
    out.push_back({start, end, perms[0] == 'r' && perms[1] == 'w', inode, name});
  }
  fclose(file);
  return true;
}

}  // namespace wasm_cow
