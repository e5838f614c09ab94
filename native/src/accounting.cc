// Memory accounting of a linear memory from /proc/self/smaps: the mappings (VMAs) that
// overlap its accessible range and their RSS, PSS, shared-clean, private-dirty and
// anonymous bytes. smaps counts whole VMAs, so the covered span is returned too; a span
// wider than the range means a neighbouring mapping was merged in.
#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

#include "common.h"
#include "operations.h"

namespace wasm_cow {

namespace {

std::string ReadWholeFile(Napi::Env env, const char* path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowErrno(env, std::string("cannot open ") + path);
  std::string text;
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      close(fd);
      errno = error;
      ThrowErrno(env, std::string("cannot read ") + path);
    }
    if (n == 0) break;
    text.append(chunk, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

struct Totals {
  uint64_t rss = 0, pss = 0, sharedClean = 0, sharedDirty = 0, privateClean = 0, privateDirty = 0, anonymous = 0;
  uint32_t vmas = 0;
  uint64_t spanStart = UINT64_MAX, spanEnd = 0;
};

// Adds "Name:   123 kB" to the total it names.
void AddField(const char* line, Totals& totals) {
  static const struct {
    const char* name;
    uint64_t Totals::*field;
  } kFields[] = {{"Rss:", &Totals::rss},
                 {"Pss:", &Totals::pss},
                 {"Shared_Clean:", &Totals::sharedClean},
                 {"Shared_Dirty:", &Totals::sharedDirty},
                 {"Private_Clean:", &Totals::privateClean},
                 {"Private_Dirty:", &Totals::privateDirty},
                 {"Anonymous:", &Totals::anonymous}};
  for (const auto& field : kFields) {
    size_t length = std::strlen(field.name);
    if (std::strncmp(line, field.name, length) == 0) {
      totals.*(field.field) += std::strtoull(line + length, nullptr, 10) * 1024;
      return;
    }
  }
}

// accounting(memory) → { rssBytes, pssBytes, sharedCleanBytes, sharedDirtyBytes,
//   privateCleanBytes, privateDirtyBytes, anonymousBytes, vmas, spanStart, spanEnd, ns }
Napi::Value Accounting(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  LinearMemory memory = GetMemory(env, info[0], "memory", SharedMemory::kAccept);
  uint64_t started = MonotonicNs();
  std::string smaps = ReadWholeFile(env, "/proc/self/smaps");
  uint64_t from = reinterpret_cast<uintptr_t>(memory.base);
  uint64_t to = from + memory.length;
  Totals totals;
  bool inside = false;
  size_t position = 0;
  while (position < smaps.size()) {
    size_t end = smaps.find('\n', position);
    if (end == std::string::npos) end = smaps.size();
    std::string line = smaps.substr(position, end - position);
    position = end + 1;
    uint64_t start = 0, stop = 0;
    // A VMA header starts "start-end perms"; field lines start with a capital letter.
    if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " ", &start, &stop) == 2 && line.find('-') < 17) {
      inside = start < to && stop > from;
      if (inside) {
        totals.vmas++;
        totals.spanStart = std::min(totals.spanStart, start);
        totals.spanEnd = std::max(totals.spanEnd, stop);
      }
    } else if (inside) {
      AddField(line.c_str(), totals);
    }
  }
  uint64_t ns = MonotonicNs() - started;
  Napi::Object result = Napi::Object::New(env);
  auto number = [&](uint64_t value) { return Napi::Number::New(env, static_cast<double>(value)); };
  result.Set("rssBytes", number(totals.rss));
  result.Set("pssBytes", number(totals.pss));
  result.Set("sharedCleanBytes", number(totals.sharedClean));
  result.Set("sharedDirtyBytes", number(totals.sharedDirty));
  result.Set("privateCleanBytes", number(totals.privateClean));
  result.Set("privateDirtyBytes", number(totals.privateDirty));
  result.Set("anonymousBytes", number(totals.anonymous));
  result.Set("vmas", totals.vmas);
  result.Set("spanStart", Napi::BigInt::New(env, totals.vmas ? totals.spanStart : from));
  result.Set("spanEnd", Napi::BigInt::New(env, totals.vmas ? totals.spanEnd : to));
  result.Set("ns", number(ns));
  return result;
}

}  // namespace

void RegisterAccounting(Napi::Env env, Napi::Object exports) {
  exports.Set("accounting", Napi::Function::New(env, Accounting, "accounting"));
}

}  // namespace wasm_cow
