#!/usr/bin/env python3
"""The real Wasmtime (wasmtime-py 49.0.0 and the libwasmtime its wheel bundles) as an
oracle for copy-on-write memory images.

Reads one JSON request on stdin:

    {"modules": [{"id": str, "path": str, "features": [str, ...]}],
     "instantiateTimeoutMs": int, "moduleTimeoutMs": int (optional)}

and writes JSON lines to stdout: first {"oracle": "wasmtime", "version": "49.0.0"}, then
one line per module as soon as it is done. Each module runs in its own forked child, so
the memfds, threads and crashes of one module never touch another; the parent only
imports wasmtime (it creates no Engine) and enforces the per-module time limit.

In the child: validate and compile with an Engine of Wasmtime's default configuration
plus memory_init_cow and the requested switches; when the module has a memory,
instantiate it with stub imports in a helper thread, wait at most instantiateTimeoutMs,
then read from the process what Wasmtime built: every memfd named wasm-memory-image,
its size, its SHA-256 and where it is mapped, attributed to a memory by that memory's
base address.
"""

import ctypes
import hashlib
import importlib.metadata
import json
import os
import select
import signal
import sys
import threading
import time
import traceback

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime._extern import wrap_extern

MEMFD_LINK = "/memfd:wasm-memory-image (deleted)"
HOST_PAGE = os.sysconf("SC_PAGE_SIZE")
DEFAULT_MODULE_TIMEOUT_MS = 600_000

# Switches that are not wasm features: Wasmtime refuses to create any shared memory
# (defined or host-made) unless the embedder allows it, so a module with a shared
# memory can only be instantiated, and its image observed, with this one on.
HOST_SWITCHES = ("shared_memory",)


class Unavailable(Exception):
    """The oracle cannot build an import of this type with wasmtime-py 49."""


# --- configuration -------------------------------------------------------------------


def make_engine(features):
    config = wasmtime.Config()
    config.memory_init_cow = True
    for feature in features:
        setattr(config, switch_name(feature), True)
    return wasmtime.Engine(config)


def switch_name(feature):
    if feature in HOST_SWITCHES:
        return feature
    name = "wasm_" + feature
    if not hasattr(wasmtime.Config, name):
        raise ValueError(f"unknown feature switch {feature!r}: wasmtime.Config has no {name}")
    return name


def root_cause(error):
    """Wasmtime's messages wrap the root cause in contexts ("failed to compile: ...
    Caused by: 0: WebAssembly translation error 1: Invalid input WebAssembly code at
    offset 23: ..."): the last entry of the chain is the meaningful one."""
    text = str(error).strip()
    if "Caused by:" not in text:
        return text
    causes = [line.strip() for line in text.split("Caused by:", 1)[1].splitlines()]
    causes = [line for line in causes if line]
    last = causes[-1]
    number, separator, rest = last.partition(": ")
    return rest if separator and number.isdigit() else last


# --- the module's memories, from its bytes -----------------------------------------------
# Wasmtime's API shows only imported and exported memories; the memory and export
# sections give every defined memory's size and each memory's export names.


def read_uleb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def read_sections(data):
    """(id, payload start, payload end) of every section."""
    sections = []
    pos = 8
    while pos < len(data):
        size, start = read_uleb(data, pos + 1)
        sections.append((data[pos], start, start + size))
        pos = start + size
    return sections


def defined_memory_sizes(data, start):
    """Minimum byte size of each memory in a memory section."""
    count, pos = read_uleb(data, start)
    sizes = []
    for _ in range(count):
        flags = data[pos]
        minimum, pos = read_uleb(data, pos + 1)
        if flags & 0x01:
            _, pos = read_uleb(data, pos)
        page_size_log2 = 16
        if flags & 0x08:
            page_size_log2, pos = read_uleb(data, pos)
        sizes.append(minimum << page_size_log2)
    return sizes


def memory_exports(data, start):
    """Export names of each exported memory, by memory index."""
    count, pos = read_uleb(data, start)
    names = {}
    for _ in range(count):
        length, pos = read_uleb(data, pos)
        name = data[pos : pos + length].decode("utf-8")
        kind = data[pos + length]
        index, pos = read_uleb(data, pos + length + 1)
        if kind == 2:
            names.setdefault(index, []).append(name)
    return names


def module_memories(data, module):
    """One entry per memory index: imported, minimum byte size (defined only), exports."""
    imported = sum(isinstance(i.type, wasmtime.MemoryType) for i in module.imports)
    sizes, exports = [], {}
    for section_id, start, _ in read_sections(data):
        if section_id == 5:
            sizes = defined_memory_sizes(data, start)
        elif section_id == 7:
            exports = memory_exports(data, start)
    memories = [{"imported": True, "minBytes": None} for _ in range(imported)]
    memories += [{"imported": False, "minBytes": size} for size in sizes]
    for index, memory in enumerate(memories):
        memory["exports"] = exports.get(index, [])
    return memories


def write_uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def needs_exports(memories):
    """Several defined memories, some without an export: their bases cannot all be
    told apart from the process's mappings alone."""
    defined = [memory for memory in memories if not memory["imported"]]
    return len(defined) > 1 and any(not memory["exports"] for memory in defined)


# Sections that precede the export section, in the order the binary format requires
# (the tag section sits between memory and global).
BEFORE_EXPORTS = {1, 2, 3, 4, 5, 13, 6}


def with_memory_exports(data, memories):
    """A copy of the module with an export added for every unexported memory (named
    after its index), or None when a name is taken. Exports change neither the data
    segments nor the memories, so Wasmtime builds the same images for the copy."""
    names = {name for memory in memories for name in memory["exports"]}
    added = {i: f"wasm-cow-oracle-memory-{i}" for i, m in enumerate(memories) if not m["exports"]}
    if names & set(added.values()):
        return None
    entries = b"".join(
        write_uleb(len(name)) + name.encode() + b"\x02" + write_uleb(index)
        for index, name in added.items()
    )
    sections = read_sections(data)
    exports = [(start, end) for section_id, start, end in sections if section_id == 7]
    if exports:
        start, end = exports[0]
        count, first = read_uleb(data, start)
        payload = write_uleb(count + len(added)) + data[first:end] + entries
        header = start - 1 - len(write_uleb(end - start))  # the section id byte
        return data[:header] + b"\x07" + write_uleb(len(payload)) + payload + data[end:]
    at = max([end for section_id, _, end in sections if section_id in BEFORE_EXPORTS] + [8])
    payload = write_uleb(len(added)) + entries
    return data[:at] + b"\x07" + write_uleb(len(payload)) + payload + data[at:]


# --- stub imports ------------------------------------------------------------------------


class ImportableSharedMemory(wasmtime.SharedMemory):
    """wasmtime-py 49 wraps a shared memory's pointer in a second pointer when passing it
    as an import; this builds the extern the C API expects, from the same handle."""

    def _as_extern(self):
        union = ffi.wasmtime_extern_union(sharedmemory=self.ptr())
        return ffi.wasmtime_extern_t(ffi.WASMTIME_EXTERN_SHAREDMEMORY, union)


def zero_value(valtype):
    """The zero or null value of a global or table element type."""
    zeros = {"i32": 0, "i64": 0, "f32": 0.0, "f64": 0.0}
    if str(valtype) in zeros:
        return zeros[str(valtype)]
    if valtype in (wasmtime.ValType.funcref(), wasmtime.ValType.externref()):
        return None
    raise Unavailable(f"no zero value of type {valtype} in wasmtime-py 49")


def trapping_function(where):
    def call(*_args):
        raise wasmtime.Trap(f"unresolved import {where}")

    return call


def stub_import(store, engine, imp):
    """An extern of the import's declared type: functions trap, globals hold zero or
    null, tables and memories have the declared limits."""
    ty = imp.type
    where = f'"{imp.module}"."{imp.name}"'
    try:
        if isinstance(ty, wasmtime.FuncType):
            return wasmtime.Func(store, ty, trapping_function(where))
        if isinstance(ty, wasmtime.GlobalType):
            return wasmtime.Global(store, ty, zero_value(ty.content))
        if isinstance(ty, wasmtime.TableType):
            return wasmtime.Table(store, ty, zero_value(ty.element))
        if isinstance(ty, wasmtime.MemoryType) and ty.is_shared:
            return ImportableSharedMemory(engine, ty)
        if isinstance(ty, wasmtime.MemoryType):
            return wasmtime.Memory(store, ty)
        if isinstance(ty, wasmtime.TagType):
            return wasmtime.Tag(store, ty)
    except (wasmtime.WasmtimeError, TypeError, Unavailable) as error:
        raise Unavailable(f"import {where}: {error}") from error
    raise Unavailable(f"import {where}: unknown import type {ty}")


# --- instantiation -------------------------------------------------------------------------


def instantiate(store, module, imports, timeout_ms):
    """Instantiates in a helper thread, waits at most timeout_ms. Returns the outcome
    text and the instance (None unless it finished). A start function that loops keeps
    its thread running; the child exits without joining it."""
    outcome = {}

    def run():
        try:
            outcome["instance"] = wasmtime.Instance(store, module, imports)
            outcome["text"] = "ok"
        except wasmtime.Trap as trap:
            outcome["text"] = "trapped: " + root_cause(trap)
        except Exception as error:  # a link or allocation error, or a bad stub
            outcome["text"] = "failed: " + root_cause(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout_ms / 1000)
    if thread.is_alive():
        return f"timed out after {timeout_ms} ms", None
    return outcome["text"], outcome.get("instance")


def memory_base(store, extern):
    if isinstance(extern, wasmtime.SharedMemory):
        pointer = extern.data_ptr()
    else:
        pointer = extern.data_ptr(store)
    return ctypes.cast(pointer, ctypes.c_void_p).value


def exported_bases(store, instance, memories):
    """data_ptr of every exported memory, by memory index."""
    if instance is None:
        return {}
    return {
        index: memory_base(store, export_by_name(store, instance, memory["exports"][0]))
        for index, memory in enumerate(memories)
        if memory["exports"]
    }


def export_by_name(store, instance, name):
    """One export, looked up by the C API: wasmtime-py's Instance.exports wraps every
    export, which takes minutes for a module with 75,000 of them."""
    raw = name.encode()
    item = ffi.wasmtime_extern_t()
    found = ffi.wasmtime_instance_export_get(
        store._context(),
        ctypes.byref(instance._instance),
        ctypes.create_string_buffer(raw, len(raw)),
        len(raw),
        ctypes.byref(item),
    )
    assert found, f"export {name!r} not found"
    return wrap_extern(item)


# --- the process state ---------------------------------------------------------------------


def read_maps():
    regions = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            start, end = (int(x, 16) for x in fields[0].split("-"))
            regions.append(
                {
                    "start": start,
                    "end": end,
                    "perms": fields[1],
                    "offset": int(fields[2], 16),
                    "inode": int(fields[4]),
                    "path": fields[5].strip() if len(fields) > 5 else "",
                }
            )
    return regions


def image_memfds():
    """Every open memfd named wasm-memory-image, once per file (by inode)."""
    found = {}
    for name in os.listdir("/proc/self/fd"):
        link = f"/proc/self/fd/{name}"
        try:
            if os.readlink(link) != MEMFD_LINK:
                continue
            status = os.stat(link)
        except OSError:
            continue  # the descriptor listdir itself used, already closed
        if status.st_ino not in found:
            with open(link, "rb") as memfd:
                digest = hashlib.sha256(memfd.read()).hexdigest()
            found[status.st_ino] = {"memfdSize": status.st_size, "sha256": digest}
    return found


def memfd_mappings(regions, inode):
    """The mappings of one memfd; adjacent map lines continuing the same file range
    (the kernel may split one mapping) are merged. Each carries its index in regions."""
    mappings = []
    for index, region in enumerate(regions):
        if region["path"] != MEMFD_LINK or region["inode"] != inode:
            continue
        last = mappings[-1] if mappings else None
        if (
            last
            and last["end"] == region["start"]
            and last["fileOffset"] + last["end"] - last["start"] == region["offset"]
        ):
            last["end"] = region["end"]
        else:
            mappings.append(
                {
                    "start": region["start"],
                    "end": region["end"],
                    "fileOffset": region["offset"],
                    "region": index,
                }
            )
    return mappings


def guard_base(regions, index):
    """A linear memory is a PROT_NONE guard, then its read-write pages (the image
    mapping among them): walking back from the mapping over adjacent read-write
    regions, the end of the guard is the memory's base. Returns (base, read-write
    bytes from the base), or (None, None) when the layout is not that."""
    while index > 0:
        previous, current = regions[index - 1], regions[index]
        if previous["end"] != current["start"]:
            return None, None
        if previous["perms"].startswith("---"):
            return current["start"], readwrite_extent(regions, index)
        if not previous["perms"].startswith("rw"):
            return None, None
        index -= 1
    return None, None


def readwrite_extent(regions, index):
    end = regions[index]["end"]
    for region in regions[index + 1 :]:
        if region["start"] != end or not region["perms"].startswith("rw"):
            break
        end = region["end"]
    return end - regions[index]["start"]


def host_pages(size):
    return -(-size // HOST_PAGE) * HOST_PAGE


def attribute(memories, bases, base, extent):
    """Which memory a mapping whose guard-derived base is `base` belongs to, and how
    we know; (None, why) when not certain."""
    for index, exported_base in bases.items():
        if exported_base == base:
            return index, "exported memory's data_ptr"
    candidates = [
        index
        for index, memory in enumerate(memories)
        if not memory["imported"] and index not in bases
    ]
    if len(candidates) == 1:
        return candidates[0], "the only defined memory without a known base"
    by_size = [i for i in candidates if host_pages(memories[i]["minBytes"]) == extent]
    if len(by_size) == 1:
        return by_size[0], "the only candidate memory of this read-write size"
    return None, f"memories {candidates} could all be at {base:#x} ({extent} read-write bytes)"


def observe(memories, bases):
    """Attributes each wasm-memory-image memfd's mapping to a memory; returns the
    images by memory index and what could not be attributed."""
    regions = read_maps()
    images = {}
    unattributed = []
    for inode, memfd in image_memfds().items():
        mappings = memfd_mappings(regions, inode)
        if not mappings:
            unattributed.append({**memfd, "why": "memfd not mapped"})
        for mapping in mappings:
            image, index, why = place(regions, memories, bases, memfd, mapping)
            if index in images:
                index, why = None, f"memory {index} has another image mapped"
            if index is None:
                unattributed.append({**image, "address": mapping["start"], "why": why})
            else:
                images[index] = {**image, "attributedBy": why}
    return images, unattributed


def place(regions, memories, bases, memfd, mapping):
    """The image one mapping describes, the memory it belongs to (or None) and why."""
    base, extent = guard_base(regions, mapping["region"])
    image = {
        "offset": None if base is None else mapping["start"] - base,
        "length": mapping["end"] - mapping["start"],
        **memfd,
        "fileOffset": mapping["fileOffset"],
    }
    if base is None:
        return image, None, "no PROT_NONE guard right before the mapping's read-write region"
    index, why = attribute(memories, bases, base, extent)
    return image, index, why


# --- one module, in the child ----------------------------------------------------------------


def report(pipe, state):
    """Sends the state so far: the parent keeps the last line it got, so a time-out or
    a crash later still leaves the compile verdict."""
    os.write(pipe, (json.dumps(state) + "\n").encode())


def validate_and_compile(engine, data, state):
    started = time.monotonic()
    try:
        wasmtime.Module.validate(engine, data)
        state["validateError"] = None
    except wasmtime.WasmtimeError as error:
        state["validateError"] = root_cause(error)
    try:
        module = wasmtime.Module(engine, data)
        state["compiles"], state["error"] = True, None
    except wasmtime.WasmtimeError as error:
        module = None
        state["compiles"], state["error"] = False, root_cause(error)
    state["compileMs"] = round((time.monotonic() - started) * 1000, 1)
    return module


def instantiate_and_observe(request, engine, data, module, state):
    memories = module_memories(data, module)
    if not memories:
        state["instantiated"] = "not attempted: no memory"
        return
    exported_copy = with_memory_exports(data, memories) if needs_exports(memories) else None
    if exported_copy is not None:
        # Every base is then a data_ptr (when the instance completes).
        module = wasmtime.Module(engine, exported_copy)
        memories = module_memories(exported_copy, module)
        state["instantiatedFrom"] = "a copy exporting every memory"
    store = wasmtime.Store(engine)
    try:
        imports = [stub_import(store, engine, imp) for imp in module.imports]
    except Unavailable as unavailable:
        state["instantiated"] = f"not attempted: the oracle could not provide {unavailable}"
        return
    started = time.monotonic()
    state["instantiated"], instance = instantiate(
        store, module, imports, request["instantiateTimeoutMs"]
    )
    state["instantiateMs"] = round((time.monotonic() - started) * 1000, 1)
    images, state["unattributed"] = observe(memories, exported_bases(store, instance, memories))
    state["memories"] = [
        {
            "memory": index,
            "imported": memory["imported"],
            "exports": memory["exports"],
            "image": images.get(index),
        }
        for index, memory in enumerate(memories)
    ]


def child(request, entry, pipe):
    """Runs in the forked child and never returns: os._exit, so no destructor runs
    (a start function may still be looping in the helper thread)."""
    state = {"id": entry["id"], "features": entry.get("features", [])}
    code = 0
    try:
        with open(entry["path"], "rb") as file:
            # bytearray: wasmtime-py compiles `bytes` that do not start with \0 as WAT.
            data = bytearray(file.read())
        engine = make_engine(state["features"])
        module = validate_and_compile(engine, data, state)
        report(pipe, state)
        if module is not None:
            instantiate_and_observe(request, engine, data, module, state)
        state["status"] = "done"
    except BaseException:
        state["status"] = "oracle error: " + traceback.format_exc()
        code = 1
    report(pipe, state)
    os._exit(code)


# --- the parent ----------------------------------------------------------------------------


def run_isolated(request, entry):
    """Forks a child for one module; returns its last reported state, marked as timed
    out or crashed when it did not finish."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        child(request, entry, write_end)
    os.close(write_end)
    limit_ms = request.get("moduleTimeoutMs", DEFAULT_MODULE_TIMEOUT_MS)
    started = time.monotonic()
    lines, finished = read_lines(read_end, started + limit_ms / 1000)
    os.close(read_end)
    if not finished:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    state = json.loads(lines[-1]) if lines else {"id": entry["id"]}
    state["wallMs"] = round((time.monotonic() - started) * 1000, 1)
    if not finished:
        state["status"] = f"timed out after {limit_ms} ms"
    elif os.WIFSIGNALED(status):
        state["status"] = f"crashed: {signal.Signals(os.WTERMSIG(status)).name}"
    elif "status" not in state:
        state["status"] = f"crashed: exit code {os.WEXITSTATUS(status)}"
    return state


def read_lines(fd, deadline):
    """Complete lines from fd until end of file (True) or the deadline (False)."""
    buffer = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return buffer.split(b"\n")[:-1], False
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return buffer.split(b"\n")[:-1], True
        buffer += chunk


def main():
    request = json.load(sys.stdin)
    version = importlib.metadata.version("wasmtime")
    print(json.dumps({"oracle": "wasmtime", "version": version}), flush=True)
    for entry in request["modules"]:
        # Flushed before each fork: a child must not inherit unwritten output.
        print(json.dumps(run_isolated(request, entry)), flush=True)


if __name__ == "__main__":
    main()
