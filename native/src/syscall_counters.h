// Counts of system calls the calling thread makes, from the kernel's syscall tracepoints
// through perf_event_open (one counter per call, this thread only, kernel side counted).
// Used around calls into Wasmtime, whose own mmap, mprotect, madvise and ioctl calls this
// tool does not make itself. Opening needs the tracepoints' ids (from tracefs) and the
// right to count them (root, CAP_PERFMON, or kernel.perf_event_paranoid ≤ -1).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace wasm_cow {

class SyscallCounters {
 public:
  // The calls counted, in this order.
  static constexpr std::array<const char*, 4> kNames = {"mmap", "mprotect", "madvise", "ioctl"};

  SyscallCounters() = default;
  SyscallCounters(const SyscallCounters&) = delete;
  SyscallCounters& operator=(const SyscallCounters&) = delete;
  ~SyscallCounters();

  // Opens one counter per tracepoint id (in kNames order); on failure returns why, and
  // the counters stay closed.
  std::string Open(const std::array<uint64_t, 4>& tracepointIds);
  bool open() const { return fds_[0] >= 0; }

  // Marks the start of a measurement (the counters count the thread that opened them,
  // which must be the calling one).
  void Start();
  // What they counted since Start.
  std::array<uint64_t, 4> Stop();

 private:
  std::array<uint64_t, 4> Read() const;
  void Close();
  std::array<int, 4> fds_ = {-1, -1, -1, -1};
  std::array<uint64_t, 4> started_{};
};

}  // namespace wasm_cow
