#include "restore.h"

#include <algorithm>
#include <cstring>

#include "image.h"

namespace wasm_cow {

void RestoreRange(uint8_t* base, size_t from, size_t to, const MappedImage& mapped, SyscallCounts& counts) {
  size_t imageStart = mapped.image ? mapped.offset : 0;
  size_t imageEnd = mapped.image ? mapped.offset + mapped.image->length() : 0;
  size_t cursor = from;
  while (cursor < to) {
    if (cursor >= imageStart && cursor < imageEnd) {
      size_t end = std::min(to, imageEnd);
      std::memcpy(base + cursor, mapped.image->bytes() + (cursor - imageStart), end - cursor);
      counts.memcpyCalls++;
      cursor = end;
    } else {
      size_t end = cursor < imageStart ? std::min(to, imageStart) : to;
      std::memset(base + cursor, 0, end - cursor);
      cursor = end;
    }
  }
}

}  // namespace wasm_cow
