// The PROCMAP_QUERY ioctl on /proc/self/maps (Linux 6.11+), declared here because the
// build machine's kernel headers may predate it (Debian 12 ships 6.1's). The layout is the
// kernel's uapi `struct procmap_query` (include/uapi/linux/fs.h), 104 bytes.
#pragma once

#include <cstdint>

namespace wasm_cow {

struct ProcmapQuery {
  uint64_t size;
  uint64_t queryFlags;
  uint64_t queryAddr;
  uint64_t vmaStart;
  uint64_t vmaEnd;
  uint64_t vmaFlags;
  uint64_t vmaPageSize;
  uint64_t vmaOffset;
  uint64_t inode;
  uint32_t devMajor;
  uint32_t devMinor;
  uint32_t vmaNameSize;
  uint32_t buildIdSize;
  uint64_t vmaNameAddr;
  uint64_t buildIdAddr;
};
static_assert(sizeof(ProcmapQuery) == 104, "struct procmap_query is 104 bytes");

// _IOWR('f', 17, struct procmap_query)
constexpr unsigned long kProcmapQuery = 0xC0686611UL;
constexpr uint64_t kProcmapCoveringOrNextVma = 0x10;
// PROCMAP_QUERY_VMA_READ | PROCMAP_QUERY_VMA_WRITE in vmaFlags.
constexpr uint64_t kProcmapReadWrite = 0x3;

}  // namespace wasm_cow
