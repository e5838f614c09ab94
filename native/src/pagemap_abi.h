// The PAGEMAP_SCAN ioctl ABI (Linux 6.7+). Debian 12's kernel headers (linux-libc-dev
// 6.1) do not define it, so it is spelled out here exactly as include/uapi/linux/fs.h
// has it; support is detected at run time (older kernels answer ENOTTY or EINVAL).
#pragma once

#include <linux/ioctl.h>
#include <linux/types.h>

namespace wasm_cow {

constexpr __u64 kPageIsWpAllowed = 1 << 0;
constexpr __u64 kPageIsWritten = 1 << 1;
constexpr __u64 kPageIsFile = 1 << 2;
constexpr __u64 kPageIsPresent = 1 << 3;
constexpr __u64 kPageIsSwapped = 1 << 4;
constexpr __u64 kPageIsPfnZero = 1 << 5;

struct PageRegion {
  __u64 start;
  __u64 end;
  __u64 categories;
};

struct PmScanArg {
  __u64 size;
  __u64 flags;
  __u64 start;
  __u64 end;
  __u64 walk_end;
  __u64 vec;
  __u64 vec_len;
  __u64 max_pages;
  __u64 category_inverted;
  __u64 category_mask;
  __u64 category_anyof_mask;
  __u64 return_mask;
};

constexpr unsigned long kPagemapScan = _IOWR('f', 16, PmScanArg);

// Bits of a /proc/self/pagemap entry (proc_pid_pagemap(5)).
constexpr __u64 kPagemapPresent = 1ull << 63;
constexpr __u64 kPagemapSwapped = 1ull << 62;
constexpr __u64 kPagemapFileOrSharedAnon = 1ull << 61;
constexpr __u64 kPagemapExclusive = 1ull << 56;
constexpr __u64 kPagemapPfnMask = (1ull << 55) - 1;

}  // namespace wasm_cow
