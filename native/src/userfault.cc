// Lazy initialisation of linear memory with userfaultfd, as Wasmtime had it before
// PR #4040 (and Lucet before it): the memory's accessible range is registered in MISSING
// mode, and one handler thread per process answers every fault with UFFDIO_COPY of the
// image's page, or UFFDIO_ZEROPAGE outside the image. A reset is one MADV_DONTNEED over
// the range (the reset strategy "madvise"): the pages go, and the next touch faults again.
//
// Invariants:
// - One userfaultfd and one handler thread serve the whole process, every memory and
//   every thread (worker isolates included): that single thread is what Wasmtime's
//   removal named as the scaling bottleneck, so it is kept single on purpose.
// - Every fault the handler reads is answered, even one for a range nobody registered
//   any more (a race with detach or an unmapped memory): an unanswered fault would block
//   its thread forever. EEXIST/ENOENT/EAGAIN from the fill ioctl are answered with a wake,
//   and the faulting thread retries its access.
// - A registration holds the image's private copy (shared with the Image), so releasing
//   the Image while a memory is still registered cannot free the source of a copy.
// - Only anonymous memory is registered (a slot initialised this way never has an image
//   mapped); the handler never touches a registered range itself, so it cannot fault.
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common.h"
#include "image.h"
#include "operations.h"

namespace wasm_cow {

namespace {

// What the handler did, for one registration or for the whole process.
struct FaultCounters {
  std::atomic<uint64_t> faults{0};
  std::atomic<uint64_t> copies{0};
  std::atomic<uint64_t> zeroPages{0};
  // Faults answered with a wake only: the page had appeared meanwhile, or the range was
  // no longer registered.
  std::atomic<uint64_t> wakes{0};
  // Time inside the fill ioctls: the copy or zero page and the wake-up of the thread.
  std::atomic<uint64_t> serviceNs{0};
  // Time a fault waited in the handler after the handler had read it: behind the faults
  // read with it in the same batch. The wait before the read (the kernel's queue and
  // the handler's wake-up) is not visible to the handler; first-touch costs measured by
  // the faulting code include it.
  std::atomic<uint64_t> queuedNs{0};
};

struct Registration {
  uintptr_t start;
  uintptr_t end;
  // The image's bytes, copied to [imageStart, imageEnd); null when there is no image.
  std::shared_ptr<const uint8_t> image;
  uintptr_t imageStart;
  uintptr_t imageEnd;
  FaultCounters counters;
};

class FaultHandler {
 public:
  static FaultHandler& Instance() {
    static FaultHandler handler;
    return handler;
  }

  bool available() const { return fd_ >= 0; }
  const std::string& mode() const { return mode_; }
  const std::string& reason() const { return reason_; }
  int fd() const { return fd_; }
  const FaultCounters& totals() const { return totals_; }
  std::atomic<uint64_t>& batches() { return batches_; }
  std::atomic<uint64_t>& largestBatch() { return largestBatch_; }

  // Adds a registration (replacing any stale one overlapping it: a memory that was
  // collected leaves its entry behind, and the kernel already dropped its registration).
  void Add(std::shared_ptr<Registration> registration) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = table_.begin(); it != table_.end();) {
      bool overlaps = it->first == registration->start ||
                      (it->second->start < registration->end && registration->start < it->second->end);
      it = overlaps ? table_.erase(it) : std::next(it);
    }
    table_[registration->start] = std::move(registration);
    StartThreadLocked();
  }

  std::shared_ptr<Registration> Remove(uintptr_t start) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = table_.find(start);
    if (it == table_.end()) return nullptr;
    std::shared_ptr<Registration> registration = std::move(it->second);
    table_.erase(it);
    return registration;
  }

  // The registration of the memory whose base is `start` (an empty memory's too).
  std::shared_ptr<Registration> At(uintptr_t start) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = table_.find(start);
    return it == table_.end() ? nullptr : it->second;
  }

  // The registration whose range holds `address`.
  std::shared_ptr<Registration> Find(uintptr_t address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = table_.upper_bound(address);
    if (it == table_.begin()) return nullptr;
    --it;
    return address < it->second->end ? it->second : nullptr;
  }

 private:
  FaultHandler() {
    // Root (or vm.unprivileged_userfaultfd=1) may handle faults taken in the kernel too;
    // otherwise only user-mode faults (Linux 5.11+), which is what wasm code takes, but
    // a system call that reads an untouched page (a WASI write) then fails with EFAULT.
    fd_ = static_cast<int>(syscall(__NR_userfaultfd, O_CLOEXEC));
    mode_ = "all faults";
    if (fd_ < 0 && errno == EPERM) {
      fd_ = static_cast<int>(syscall(__NR_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY));
      mode_ = "user-mode faults only";
    }
    if (fd_ < 0) {
      reason_ = errno == ENOSYS  ? "this kernel has no userfaultfd"
                : errno == EPERM ? "userfaultfd is not permitted (not root, vm.unprivileged_userfaultfd is 0 and "
                                   "UFFD_USER_MODE_ONLY was refused)"
                                 : std::string("userfaultfd failed: ") + std::strerror(errno);
      mode_.clear();
      return;
    }
    uffdio_api api{};
    api.api = UFFD_API;
    if (ioctl(fd_, UFFDIO_API, &api) != 0) {
      reason_ = std::string("UFFDIO_API failed: ") + std::strerror(errno);
      close(fd_);
      fd_ = -1;
      mode_.clear();
    }
  }

  void StartThreadLocked() {
    if (started_) return;
    started_ = true;
    std::thread([this] { Serve(); }).detach();  // lives as long as the process
  }

  void Serve() {
    const uintptr_t pageMask = ~(static_cast<uintptr_t>(HostPageSize()) - 1);
    uffd_msg messages[64];
    for (;;) {
      ssize_t n = read(fd_, messages, sizeof(messages));
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return;  // the descriptor broke; nothing can answer faults any more
      }
      uint64_t received = MonotonicNs();
      size_t count = static_cast<size_t>(n) / sizeof(uffd_msg);
      batches_.fetch_add(1, std::memory_order_relaxed);
      uint64_t largest = largestBatch_.load(std::memory_order_relaxed);
      while (count > largest && !largestBatch_.compare_exchange_weak(largest, count)) {
      }
      for (size_t i = 0; i < count; i++) {
        if (messages[i].event != UFFD_EVENT_PAGEFAULT) continue;
        Answer(messages[i].arg.pagefault.address & pageMask, received);
      }
    }
  }

  // The counts are added before the fill ioctl, which wakes the faulting thread: once
  // it runs again, a read of the counters includes its fault. The service time can only
  // be added after the ioctl returns, so a read right after a fault may miss that one
  // fault's time (it is in the next read).
  void Answer(uintptr_t page, uint64_t received) {
    const size_t pageSize = HostPageSize();
    uint64_t started = MonotonicNs();
    std::shared_ptr<Registration> registration = Find(page);
    bool inImage =
        registration && registration->image && page >= registration->imageStart && page < registration->imageEnd;
    FaultCounters* counted[] = {&totals_, registration ? &registration->counters : nullptr};
    for (FaultCounters* counters : counted) {
      if (!counters) continue;
      counters->faults.fetch_add(1, std::memory_order_relaxed);
      (inImage ? counters->copies : counters->zeroPages).fetch_add(1, std::memory_order_relaxed);
      counters->queuedNs.fetch_add(started - received, std::memory_order_relaxed);
    }
    int result;
    if (inImage) {
      uffdio_copy copy{};
      copy.dst = page;
      copy.src = reinterpret_cast<uintptr_t>(registration->image.get()) + (page - registration->imageStart);
      copy.len = pageSize;
      result = ioctl(fd_, UFFDIO_COPY, &copy);
    } else {
      uffdio_zeropage zero{};
      zero.range.start = page;
      zero.range.len = pageSize;
      result = ioctl(fd_, UFFDIO_ZEROPAGE, &zero);
    }
    if (result != 0) {
      // The page exists already (EEXIST), the range went (ENOENT) or changed (EAGAIN):
      // the fault is a wake, not a fill. Recount it before the wake lets its thread
      // retry the access (which faults again if it must).
      for (FaultCounters* counters : counted) {
        if (!counters) continue;
        (inImage ? counters->copies : counters->zeroPages).fetch_sub(1, std::memory_order_relaxed);
        counters->wakes.fetch_add(1, std::memory_order_relaxed);
      }
      uffdio_range range{page, pageSize};
      ioctl(fd_, UFFDIO_WAKE, &range);
    }
    uint64_t finished = MonotonicNs();
    for (FaultCounters* counters : counted) {
      if (counters) counters->serviceNs.fetch_add(finished - started, std::memory_order_relaxed);
    }
  }

  int fd_ = -1;
  std::string mode_;
  std::string reason_;
  std::mutex mutex_;
  std::map<uintptr_t, std::shared_ptr<Registration>> table_;
  bool started_ = false;
  FaultCounters totals_;
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> largestBatch_{0};
};

FaultHandler& AvailableHandler(Napi::Env env) {
  FaultHandler& handler = FaultHandler::Instance();
  if (!handler.available()) throw Napi::Error::New(env, "userfaultfd is unavailable: " + handler.reason());
  return handler;
}

Napi::Object CountersToObject(Napi::Env env, const FaultCounters& counters) {
  Napi::Object result = Napi::Object::New(env);
  auto set = [&](const char* name, const std::atomic<uint64_t>& value) {
    result.Set(name, Napi::Number::New(env, static_cast<double>(value.load(std::memory_order_relaxed))));
  };
  set("faults", counters.faults);
  set("copies", counters.copies);
  set("zeroPages", counters.zeroPages);
  set("wakes", counters.wakes);
  set("serviceNs", counters.serviceNs);
  set("queuedNs", counters.queuedNs);
  return result;
}

// userfaultProbe() → { available, mode, reason }
Napi::Value UserfaultProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FaultHandler& handler = FaultHandler::Instance();
  Napi::Object result = Napi::Object::New(env);
  result.Set("available", handler.available());
  result.Set("mode", handler.available() ? Napi::Value(Napi::String::New(env, handler.mode())) : env.Null());
  result.Set("reason", handler.available() ? env.Null() : Napi::Value(Napi::String::New(env, handler.reason())));
  return result;
}

// userfaultAttach(memory, image | null, imageOffset) → { base, ns, syscalls }
Napi::Value UserfaultAttach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 3) {
    throw Napi::TypeError::New(env, "userfaultAttach(memory, image, imageOffset) takes 3 arguments");
  }
  LinearMemory memory = GetMemory(env, info[0], "memory");
  Image* image = info[1].IsNull() ? nullptr : Image::FromValue(env, info[1], "image");
  size_t imageOffset = GetSize(env, info[2], "imageOffset");
  CheckPageAligned(env, imageOffset, "imageOffset");
  if (image) CheckInside(env, memory, imageOffset, image->length(), "image range");
  FaultHandler& handler = AvailableHandler(env);

  auto registration = std::make_shared<Registration>();
  registration->start = reinterpret_cast<uintptr_t>(memory.base);
  registration->end = registration->start + memory.length;
  registration->image = image ? image->sharedBytes() : nullptr;
  registration->imageStart = registration->start + imageOffset;
  registration->imageEnd = registration->imageStart + (image ? image->length() : 0);

  SyscallCounts counts;
  uint64_t started = MonotonicNs();
  // In the table before the kernel can deliver a fault for it.
  handler.Add(registration);
  uffdio_register request{};
  request.range.start = registration->start;
  request.range.len = memory.length;
  request.mode = UFFDIO_REGISTER_MODE_MISSING;
  // An empty memory (0 pages) has nothing to register: its entry only records the image.
  // Pages it grows later are never registered; they read as zeros, as they must.
  if (memory.length > 0 && (counts.ioctl++, ioctl(handler.fd(), UFFDIO_REGISTER, &request) != 0)) {
    int error = errno;
    handler.Remove(registration->start);
    errno = error;
    ThrowErrno(env, "UFFDIO_REGISTER of the memory failed");
  }
  uint64_t ns = MonotonicNs() - started;

  Napi::Object result = TimedResult(env, ns, counts);
  result.Set("base", AddressToBigInt(env, memory.base));
  return result;
}

// userfaultDetach(memory, expectedBase) → { ns, syscalls }: the pages already filled stay.
Napi::Value UserfaultDetach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2) throw Napi::TypeError::New(env, "userfaultDetach(memory, expectedBase) takes 2 arguments");
  LinearMemory memory = GetMemory(env, info[0], "memory");
  CheckBase(env, memory, info[1]);
  FaultHandler& handler = AvailableHandler(env);
  uintptr_t start = reinterpret_cast<uintptr_t>(memory.base);
  std::shared_ptr<Registration> registration = handler.At(start);
  if (!registration) throw Napi::Error::New(env, "the memory is not registered with userfaultfd");

  SyscallCounts counts;
  uint64_t started = MonotonicNs();
  // Out of the kernel first, then out of the table: a fault between the two still finds
  // its image.
  uffdio_range range{registration->start, registration->end - registration->start};
  if (range.len > 0 && (counts.ioctl++, ioctl(handler.fd(), UFFDIO_UNREGISTER, &range) != 0)) {
    ThrowErrno(env, "UFFDIO_UNREGISTER failed");
  }
  handler.Remove(start);
  uint64_t ns = MonotonicNs() - started;

  return TimedResult(env, ns, counts);
}

// userfaultStats(memory?) → the counters of the memory's registration, or with no
// argument the process's: { faults, copies, zeroPages, wakes, serviceNs, queuedNs }
// plus { batches, largestBatch } for the process.
Napi::Value UserfaultStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() > 1) throw Napi::TypeError::New(env, "userfaultStats(memory?) takes at most 1 argument");
  FaultHandler& handler = AvailableHandler(env);
  if (info.Length() == 1 && !info[0].IsUndefined()) {
    LinearMemory memory = GetMemory(env, info[0], "memory");
    std::shared_ptr<Registration> registration = handler.At(reinterpret_cast<uintptr_t>(memory.base));
    if (!registration) throw Napi::Error::New(env, "the memory is not registered with userfaultfd");
    return CountersToObject(env, registration->counters);
  }
  Napi::Object result = CountersToObject(env, handler.totals());
  result.Set("batches", Napi::Number::New(env, static_cast<double>(handler.batches().load())));
  result.Set("largestBatch", Napi::Number::New(env, static_cast<double>(handler.largestBatch().load())));
  return result;
}

}  // namespace

void RegisterUserfault(Napi::Env env, Napi::Object exports) {
  exports.Set("userfaultProbe", Napi::Function::New(env, UserfaultProbe, "userfaultProbe"));
  exports.Set("userfaultAttach", Napi::Function::New(env, UserfaultAttach, "userfaultAttach"));
  exports.Set("userfaultDetach", Napi::Function::New(env, UserfaultDetach, "userfaultDetach"));
  exports.Set("userfaultStats", Napi::Function::New(env, UserfaultStats, "userfaultStats"));
}

}  // namespace wasm_cow
