#include "syscall_counters.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wasm_cow {

SyscallCounters::~SyscallCounters() { Close(); }

void SyscallCounters::Close() {
  for (int& fd : fds_) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

std::string SyscallCounters::Open(const std::array<uint64_t, 4>& tracepointIds) {
  Close();
  for (size_t i = 0; i < fds_.size(); i++) {
    perf_event_attr attr{};
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = tracepointIds[i];
    attr.read_format = PERF_FORMAT_GROUP;
    attr.disabled = i == 0 ? 1 : 0;  // the group counts while its leader is enabled
    // pid 0, cpu -1: this thread, on whichever CPU it runs; the first counter leads.
    long fd = syscall(SYS_perf_event_open, &attr, 0, -1, i == 0 ? -1 : fds_[0], PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
      std::string why = std::string("perf_event_open for sys_enter_") + kNames[i] + ": " + strerror(errno);
      Close();
      return why;
    }
    fds_[i] = static_cast<int>(fd);
  }
  return "";
}

std::array<uint64_t, 4> SyscallCounters::Read() const {
  // PERF_FORMAT_GROUP: the number of counters, then each value, in the order they joined.
  uint64_t values[1 + 4] = {};
  std::array<uint64_t, 4> counts{};
  if (read(fds_[0], values, sizeof values) == static_cast<ssize_t>(sizeof values) && values[0] == 4) {
    for (size_t i = 0; i < counts.size(); i++) counts[i] = values[1 + i];
  }
  return counts;
}

void SyscallCounters::Start() {
  ioctl(fds_[0], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
  ioctl(fds_[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

std::array<uint64_t, 4> SyscallCounters::Stop() {
  ioctl(fds_[0], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
  std::array<uint64_t, 4> counts = Read();
  if (counts[3] > 0) counts[3]--;  // the ioctl that disabled the group
  return counts;
}

}  // namespace wasm_cow
