// mappingsIn(base, length, fileName) → { count, file: { offset, length, inode } | null }
//
// How a memory's range [base, base + length) is mapped now, from the mappings (VMAs) of
// this process as the kernel lists them in /proc/self/maps: how many overlap it, and the
// part of the range covered by the first run of adjacent mappings of the file named
// `fileName` (a memfd image: an mprotect may split its mapping in two), with offsets from
// `base`. It is summarised here because the session asks after every instantiation and
// reset, and a JS object per mapping cost more than the kernel's answer. It reads the
// kernel's tables and touches no memory, so any range is safe to ask about. PROCMAP_QUERY
// (Linux 6.11+) answers per VMA in about a microsecond; older kernels get the same answer
// from the text of /proc/self/maps, which takes a millisecond in a V8 process.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "operations.h"
#include "procmap_abi.h"
#include "vmas.h"

namespace wasm_cow {

namespace {

// /proc/self/maps, opened once: PROCMAP_QUERY answers about the process as it is at each
// ioctl, so one descriptor serves every call (opening it again costs as much as a query).
int MapsFd() {
  static const int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  return fd;
}

// False when the query fails (no PROCMAP_QUERY before Linux 6.11: ENOTTY): the caller
// reads the text instead.
bool QueryVmas(int fd, uint64_t from, uint64_t to, std::vector<Vma>& out) {
  char name[4096];
  for (uint64_t at = from; at < to;) {
    ProcmapQuery query{};
    query.size = sizeof query;
    query.queryFlags = kProcmapCoveringOrNextVma;
    query.queryAddr = at;
    query.vmaNameAddr = reinterpret_cast<uint64_t>(name);
    query.vmaNameSize = sizeof name;
    if (ioctl(fd, kProcmapQuery, &query) != 0) return errno == ENOENT;  // ENOENT: nothing at or after `at`
    if (query.vmaStart >= to) return true;
    out.push_back({query.vmaStart, query.vmaEnd, (query.vmaFlags & kProcmapReadWrite) == kProcmapReadWrite, query.inode,
                   query.vmaNameSize > 0 ? std::string(name, strnlen(name, query.vmaNameSize)) : std::string()});
    at = query.vmaEnd;
  }
  return true;
}

Napi::Value MappingsIn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 3 || !info[0].IsBigInt() || !info[2].IsString()) {
    throw Napi::TypeError::New(env, "mappingsIn(base: bigint, length, fileName: string) takes 3 arguments");
  }
  bool lossless = false;
  uint64_t from = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throw Napi::RangeError::New(env, "base must be an address (a u64)");
  size_t length = GetSize(env, info[1], "length");
  if (length > UINT64_MAX - from) throw Napi::RangeError::New(env, "base + length passes the end of the address space");
  uint64_t to = from + length;
  std::string fileName = info[2].As<Napi::String>().Utf8Value();

  std::vector<Vma> found;
  if (MapsFd() < 0 || !QueryVmas(MapsFd(), from, to, found)) {
    found.clear();
    if (!ReadVmas(from, to, found)) ThrowErrno(env, "cannot read /proc/self/maps");
  }
  Napi::Value file = env.Null();
  for (size_t i = 0; i < found.size(); i++) {
    if (found[i].name != fileName) continue;
    uint64_t end = found[i].end;
    for (size_t next = i + 1; next < found.size() && found[next].start == end && found[next].inode == found[i].inode;
         next++) {
      end = found[next].end;
    }
    uint64_t first = std::max(found[i].start, from);
    Napi::Object part = Napi::Object::New(env);
    part.Set("offset", Napi::Number::New(env, static_cast<double>(first - from)));
    part.Set("length", Napi::Number::New(env, static_cast<double>(std::min(end, to) - first)));
    part.Set("inode", Napi::Number::New(env, static_cast<double>(found[i].inode)));
    file = part;
    break;
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("count", Napi::Number::New(env, static_cast<double>(found.size())));
  result.Set("file", file);
  return result;
}

}  // namespace

void RegisterMappings(Napi::Env env, Napi::Object exports) {
  exports.Set("mappingsIn", Napi::Function::New(env, MappingsIn, "mappingsIn"));
}

}  // namespace wasm_cow
