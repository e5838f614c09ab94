// mappingsIn(base, length) → [{ start, end, offset, inode, name, readable, writable }]
//
// The mappings (VMAs) of this process that overlap [base, base + length), in address
// order, as the kernel lists them in /proc/self/maps: how a memory's range is mapped now
// (which part is the image's memfd, which is anonymous, which is PROT_NONE). It reads the
// kernel's tables and touches no memory, so any range is safe to ask about. PROCMAP_QUERY
// (Linux 6.11+) answers per VMA in microseconds; older kernels get the same answer from
// the text of /proc/self/maps, which takes a millisecond in a V8 process.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "operations.h"
#include "procmap_abi.h"

namespace wasm_cow {

namespace {

struct Mapping {
  uint64_t start;
  uint64_t end;
  uint64_t offset;
  uint64_t inode;
  std::string name;
  bool readable;
  bool writable;
};

// /proc/self/maps, opened once: PROCMAP_QUERY answers about the process as it is at each
// ioctl, so one descriptor serves every call (opening it again costs as much as a query).
int MapsFd() {
  static const int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  return fd;
}

// False when the query fails (no PROCMAP_QUERY before Linux 6.11: ENOTTY): the caller
// reads the text instead.
bool QueryVmas(int fd, uint64_t from, uint64_t to, std::vector<Mapping>& out) {
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
    out.push_back({query.vmaStart, query.vmaEnd, query.vmaOffset, query.inode,
                   query.vmaNameSize > 0 ? std::string(name, strnlen(name, query.vmaNameSize)) : std::string(),
                   (query.vmaFlags & kProcmapVmaReadable) != 0, (query.vmaFlags & kProcmapVmaWritable) != 0});
    at = query.vmaEnd;
  }
  return true;
}

// The same answer from the text of /proc/self/maps.
bool ReadVmas(uint64_t from, uint64_t to, std::vector<Mapping>& out) {
  FILE* file = fopen("/proc/self/maps", "re");
  if (!file) return false;
  char line[4352];
  while (fgets(line, sizeof line, file)) {
    uint64_t start = 0, end = 0, offset = 0, inode = 0;
    char perms[8] = {};
    int nameAt = 0;
    if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %" SCNu64 " %n", &start, &end, perms, &offset, &inode,
               &nameAt) < 5) {
      continue;
    }
    if (end <= from || start >= to) continue;
    std::string name(line + nameAt);
    while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
    out.push_back({start, end, offset, inode, name, perms[0] == 'r', perms[1] == 'w'});
  }
  fclose(file);
  return true;
}

Napi::Value MappingsIn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsBigInt()) {
    throw Napi::TypeError::New(env, "mappingsIn(base: bigint, length) takes 2 arguments");
  }
  bool lossless = false;
  uint64_t from = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throw Napi::RangeError::New(env, "base must be an address (a u64)");
  size_t length = GetSize(env, info[1], "length");
  if (length > UINT64_MAX - from) throw Napi::RangeError::New(env, "base + length passes the end of the address space");
  uint64_t to = from + length;

  std::vector<Mapping> found;
  if (MapsFd() < 0 || !QueryVmas(MapsFd(), from, to, found)) {
    found.clear();
    if (!ReadVmas(from, to, found)) ThrowErrno(env, "cannot read /proc/self/maps");
  }
  Napi::Array out = Napi::Array::New(env, found.size());
  for (size_t i = 0; i < found.size(); i++) {
    const Mapping& m = found[i];
    Napi::Object item = Napi::Object::New(env);
    item.Set("start", Napi::BigInt::New(env, m.start));
    item.Set("end", Napi::BigInt::New(env, m.end));
    item.Set("offset", Napi::Number::New(env, static_cast<double>(m.offset)));
    item.Set("inode", Napi::Number::New(env, static_cast<double>(m.inode)));
    item.Set("name", Napi::String::New(env, m.name));
    item.Set("readable", Napi::Boolean::New(env, m.readable));
    item.Set("writable", Napi::Boolean::New(env, m.writable));
    out.Set(static_cast<uint32_t>(i), item);
  }
  return out;
}

}  // namespace

void RegisterMappings(Napi::Env env, Napi::Object exports) {
  exports.Set("mappingsIn", Napi::Function::New(env, MappingsIn, "mappingsIn"));
}

}  // namespace wasm_cow
