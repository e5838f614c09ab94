#!/usr/bin/env python3
"""Real Wasmtime (wasmtime-py 49.0.0) as the oracle for a component's images.

Usage: wasmtime_component_oracle.py COMPONENT.wasm [EXPORT ARG]

Compiles the component with Wasmtime's default configuration plus memory_init_cow,
instantiates it with WASI 0.2 and wasi:http from Wasmtime (no preopened directory, no
environment), then reads from this process what Wasmtime built: every memfd named
wasm-memory-image, its size and SHA-256. With EXPORT and ARG, calls that export with one
string argument. Prints one JSON object: {"images": [...], "result": ...}.
"""

import hashlib
import json
import os
import sys

import wasmtime
from wasmtime import component

MEMFD_LINK = "/memfd:wasm-memory-image"


def images():
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the directory's own descriptor, closed meanwhile
        if not link.startswith(MEMFD_LINK):
            continue
        length = os.fstat(int(fd)).st_size
        data = os.pread(int(fd), length, 0)
        found.append({"length": length, "sha256": hashlib.sha256(data).hexdigest()})
    return sorted(found, key=lambda image: (image["length"], image["sha256"]))


def main():
    config = wasmtime.Config()
    config.memory_init_cow = True
    engine = wasmtime.Engine(config)
    with open(sys.argv[1], "rb") as file:
        compiled = component.Component(engine, file.read())
    linker = component.Linker(engine)
    linker.add_wasip2()
    linker.add_wasi_http()
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    instance = linker.instantiate(store, compiled)
    result = None
    if len(sys.argv) == 4:
        func = instance.get_func(store, sys.argv[2])
        if func is None:
            raise SystemExit(f"no exported function {sys.argv[2]!r}")
        result = func(store, sys.argv[3])
    print(json.dumps({"images": images(), "result": result}))


if __name__ == "__main__":
    main()
