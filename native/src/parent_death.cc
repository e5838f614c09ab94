// The runner ends when the process that started it ends, whatever wasm is doing. A
// runner's own "disconnect" handler cannot run while module code loops (the event loop is
// busy), and the parent's watchdog dies with the parent, so the kernel must do it:
// PR_SET_PDEATHSIG delivers SIGKILL when the parent goes.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cmath>
#include <string>

#include "common.h"
#include "operations.h"

namespace wasm_cow {

namespace {

// dieWithParent(expectedParentPid) → undefined
//
// The signal is tied to the *thread* that forked this process: Node forks children from
// its main thread (libuv's uv_spawn on the event loop), which lives as long as the parent.
// The parent may already have died between fork and this call, in which case no signal
// will ever come: the process is then reparented, getppid() no longer names the parent
// it was started by, and it ends itself at once.
Napi::Value DieWithParent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1) throw Napi::TypeError::New(env, "dieWithParent(expectedParentPid) takes 1 argument");
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "expectedParentPid must be a number");
  double pid = info[0].As<Napi::Number>().DoubleValue();
  if (!(pid >= 2) || pid > 4194304.0 || std::trunc(pid) != pid) {
    // pid 1 is init: a process whose parent is init has no parent to follow.
    throw Napi::RangeError::New(env, "expectedParentPid must be an integer pid from 2 to 4194304 (PID_MAX_LIMIT)");
  }
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ThrowErrno(env, "prctl(PR_SET_PDEATHSIG)");
  if (getppid() != static_cast<pid_t>(pid)) kill(getpid(), SIGKILL);
  return env.Undefined();
}

}  // namespace

void RegisterParentDeath(Napi::Env env, Napi::Object exports) {
  exports.Set("dieWithParent", Napi::Function::New(env, DieWithParent, "dieWithParent"));
}

}  // namespace wasm_cow
