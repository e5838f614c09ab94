// What this machine offers the backend, detected at run time.
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common.h"
#include "operations.h"
#include "page_map.h"

namespace wasm_cow {

namespace {

bool MemfdAvailable() {
#ifdef MFD_ALLOW_SEALING
  int fd = memfd_create("wasm-cow-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return false;
  close(fd);
  return true;
#else
  return false;
#endif
}

// probe() → { kernel, hostPageSize, memfd, pagemap, pagemapScan, pfnReadable }
Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  utsname name{};
  uname(&name);
  const PageMap& pagemap = PageMap::Instance();
  Napi::Object result = Napi::Object::New(env);
  result.Set("kernel", std::string(name.sysname) + " " + name.release);
  result.Set("hostPageSize", Napi::Number::New(env, static_cast<double>(HostPageSize())));
  result.Set("memfd", MemfdAvailable());
  result.Set("pagemap", pagemap.open());
  result.Set("pagemapScan", pagemap.scanSupported());
  result.Set("pfnReadable", pagemap.pfnReadable());
  return result;
}

}  // namespace

void RegisterProbe(Napi::Env env, Napi::Object exports) {
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
}

}  // namespace wasm_cow
