// The pool of memory slots, as Wasmtime's pooling allocator keeps them, built on V8
// memories: each slot owns one WebAssembly.Memory whose linear memory may have an
// image mapped into it (MAP_PRIVATE) and stays mapped across reuse by the same module.
// A slot may instead be served by userfaultfd (Wasmtime before PR #4040): its memory is
// registered with the process's fault handler, which copies the image's pages in as
// they are first touched; the registration stays across reuse by the same module.
//
// Slot invariants (cf. MemoryImageSlot in Wasmtime's cow.rs):
// - A warm or cold slot's memory holds pristine contents: the image's bytes over the
//   image range, zeros elsewhere (absent pages that the mapping or the fault handler
//   will supply count as pristine). Release resets it before the slot is freed.
// - `attached` names how the memory gets its image (`source`) and which image: a
//   mapping of `image` at `image.offset`, nothing else of the memory file-backed; or a
//   userfaultfd registration of the whole accessible range, with or without an image.
//   A slot has at most one of the two.
// - `base` is the linear memory's address when the image was mapped; V8 grows memories
//   in place, and every native call checks that the base did not move.
// - V8 cannot shrink a memory, and a memory's limits are fixed when it is created, so a
//   slot whose memory grew, or whose limits differ from the next module's, gets a new
//   memory; the old one is retired with the reason recorded.

import { pageCountsOf, residentBytes } from "../../common/page-states";
import { IndexAllocator, type AffinityKey } from "./index-allocator";
import {
  NO_SYSCALLS,
  type NativeAddon,
  type NativeImage,
  type ResetOutcome,
} from "./native-backend";
import type {
  PickKind,
  ResetStrategy,
  SyscallCounts,
  UserfaultCounts,
} from "../../common/run-types";

const WASM_PAGE = 65536;

export interface MemoryLimits {
  initialPages: number;
  maximumPages: number | null;
}

export interface SlotImage {
  native: NativeImage;
  /** Page-aligned offset of the image in linear memory. */
  offset: number;
}

/** How a slot's memory gets its image: mapped copy-on-write, or copied in page by page
 *  by the userfaultfd handler as pages are first touched. */
export type ImageSource = "mapping" | "userfaultfd";

export interface SlotRequest {
  key: AffinityKey;
  limits: MemoryLimits;
  image: SlotImage | null;
  source: ImageSource;
}

export interface Retirement {
  slot: number;
  reason: string;
}

export interface SlotView {
  index: number;
  state: "cold" | "warm" | "in-use";
  affinity: AffinityKey | null;
  bytesResident: number;
  /** Accessible bytes of the slot's memory, or 0 before it has one. */
  accessibleBytes: number;
  imageMapped: boolean;
  /** The memory is registered with the userfaultfd handler. */
  userfaultfd: boolean;
  retirements: number;
}

interface Attachment {
  key: AffinityKey;
  source: ImageSource;
  image: SlotImage | null;
}

interface SlotRecord {
  memory: WebAssembly.Memory | null;
  limits: MemoryLimits | null;
  base: bigint | null;
  attached: Attachment | null;
  /** The registration's fault counts when last read (they count from its start). */
  userfaultsRead: UserfaultCounts;
  retirements: string[];
}

const NO_USERFAULTS: Readonly<UserfaultCounts> = {
  faults: 0,
  copies: 0,
  zeroPages: 0,
  wakes: 0,
  serviceNs: 0,
  queuedNs: 0,
};

export interface Acquired {
  slot: number;
  pick: PickKind;
  memory: WebAssembly.Memory;
  /** The slot's previous memory was replaced, and why. */
  retired: Retirement | null;
}

export interface MapOutcome {
  ns: number;
  syscalls: SyscallCounts;
  /** Nothing to do: the same image was still mapped (an affine reuse). */
  alreadyMapped: boolean;
}

export interface ReleaseOutcome {
  reset: ResetOutcome;
  retired: Retirement | null;
}

export class SlotPool {
  private readonly allocator: IndexAllocator;
  private readonly records: SlotRecord[];
  private readonly hostPageSize: number;

  constructor(
    private readonly addon: NativeAddon,
    slots: number,
    maxUnusedWarmSlots: number,
  ) {
    this.allocator = new IndexAllocator(slots, maxUnusedWarmSlots);
    this.hostPageSize = addon.probe().hostPageSize;
    this.records = Array.from({ length: slots }, () => ({
      memory: null,
      limits: null,
      base: null,
      attached: null,
      userfaultsRead: NO_USERFAULTS,
      retirements: [],
    }));
  }

  /** Picks a slot and makes sure its memory has the requested limits. */
  acquire(request: SlotRequest): Acquired {
    const pick = this.allocator.alloc(request.key);
    if (!pick)
      throw new Error(`the pool is exhausted: all ${this.allocator.capacity} slots are in use`);
    const record = this.records[pick.slot]!;
    const mismatch = record.memory ? this.unusableBecause(record, request.limits) : null;
    // The slot stays in use: it gets a new memory below.
    const retired = mismatch ? this.dropMemory(pick.slot, mismatch) : null;
    if (!record.memory) {
      try {
        record.memory = new WebAssembly.Memory({
          initial: request.limits.initialPages,
          ...(request.limits.maximumPages === null ? {} : { maximum: request.limits.maximumPages }),
        });
      } catch (error) {
        // No memory, no slot: hand it back rather than leave it in use forever.
        this.allocator.free(pick.slot, 0);
        this.allocator.makeCold(pick.slot);
        throw error;
      }
      record.limits = request.limits;
      record.base = this.addon.memoryBase(record.memory);
      record.attached = null;
    }
    return { slot: pick.slot, pick: pick.kind, memory: record.memory, retired };
  }

  /** Attaches the request's image unless this slot still has it the same way; detaches
   *  another module's first (an anonymous mapping over exactly its range, or the end of
   *  the registration). A CoW request without an image attaches nothing; a userfaultfd
   *  one registers the memory anyway, and the handler answers with zero pages. */
  map(slot: number, request: SlotRequest): MapOutcome {
    const record = this.records[slot]!;
    const memory = record.memory!;
    const attached = record.attached;
    if (
      attached?.key === request.key &&
      attached.source === request.source &&
      attached.image?.native === request.image?.native
    ) {
      return { ns: 0, syscalls: NO_SYSCALLS, alreadyMapped: true };
    }
    const counts: SyscallCounts = { ...NO_SYSCALLS };
    let ns = 0;
    const add = (op: { ns: number; syscalls: SyscallCounts }): void => {
      ns += op.ns;
      for (const key of Object.keys(counts) as (keyof SyscallCounts)[])
        counts[key] = (counts[key] ?? 0) + (op.syscalls[key] ?? 0);
    };
    if (attached) {
      add(this.detach(memory, record.base!, attached));
      record.attached = null;
    }
    if (request.source === "userfaultfd") {
      const registered = this.addon.userfaultAttach(
        memory,
        request.image?.native ?? null,
        request.image?.offset ?? 0,
      );
      add(registered);
      record.base = registered.base;
      record.userfaultsRead = NO_USERFAULTS;
      record.attached = { key: request.key, source: request.source, image: request.image };
    } else if (request.image) {
      const mapped = this.addon.mapImage(memory, request.image.offset, request.image.native);
      add(mapped);
      record.base = mapped.base;
      record.attached = { key: request.key, source: request.source, image: request.image };
    }
    return { ns, syscalls: counts, alreadyMapped: false };
  }

  /** Resets the slot's memory to its pristine contents and frees the slot. A slot
   *  whose reset fails is retired (its contents are unknown, Wasmtime's `Unknown`
   *  state) and the error rethrown, so no slot is ever lost. */
  release(slot: number, strategy: ResetStrategy, keepResident: number): ReleaseOutcome {
    const record = this.records[slot]!;
    const memory = record.memory!;
    // An image released while attached (its module was unloaded) has no bytes to copy
    // back; the mapping (or the registration's own copy of the bytes) still restores
    // it, so the blind madvise path does.
    const image = record.attached?.image ?? null;
    const orphaned = image?.native.released ?? false;
    let reset: ResetOutcome;
    try {
      reset = orphaned
        ? this.addon.reset(memory, record.base!, "madvise", 0, null, 0)
        : this.addon.reset(
            memory,
            record.base!,
            strategy,
            keepResident,
            image?.native ?? null,
            image?.offset ?? 0,
          );
    } catch (error) {
      this.allocator.free(slot, 0);
      this.retire(slot, `its reset failed: ${(error as Error).message}`);
      throw error;
    }
    this.allocator.free(slot, reset.bytesResident);
    if (orphaned)
      return { reset, retired: this.retire(slot, "its module was unloaded while it was in use") };
    const grownPages = memory.buffer.byteLength / WASM_PAGE;
    if (record.limits && grownPages !== record.limits.initialPages) {
      const reason = `the instance grew the memory from ${record.limits.initialPages} to ${grownPages} pages, and V8 cannot shrink a memory`;
      return { reset, retired: this.retire(slot, reason) };
    }
    return { reset, retired: null };
  }

  /** Drops every warm slot affine to `key` (Wasmtime purges them when a module is
   *  dropped, so stale mappings do not pin its image). */
  purge(key: AffinityKey): Retirement[] {
    return this.allocator
      .warmSlotsWith(key)
      .map((slot) => this.retire(slot, "its module was unloaded"));
  }

  views(): SlotView[] {
    return this.records.map((record, index) => {
      const entry = this.allocator.entry(index);
      return {
        index,
        state: entry.state === "used" ? "in-use" : entry.state,
        affinity: entry.state === "cold" ? null : entry.affinity,
        // Warm: what its reset left (measured then); in use: the kernel's page states now,
        // counted as the stepper counts a step's memory, so both say the same.
        bytesResident:
          entry.state === "warm"
            ? entry.bytesResident
            : entry.state === "used" && record.memory
              ? this.residentNow(record.memory)
              : 0,
        accessibleBytes: record.memory?.buffer.byteLength ?? 0,
        imageMapped: record.attached?.source === "mapping",
        userfaultfd: record.attached?.source === "userfaultfd",
        retirements: record.retirements.length,
      };
    });
  }

  private residentNow(memory: WebAssembly.Memory): number {
    const { tally } = this.addon.snapshot(memory, 0, 0, false);
    return residentBytes(pageCountsOf(tally), this.hostPageSize);
  }

  memoryOf(slot: number): WebAssembly.Memory {
    return this.records[slot]!.memory!;
  }

  /** The image the slot's memory is initialised from, mapped or served by userfaultfd. */
  mappedImage(slot: number): SlotImage | null {
    return this.records[slot]!.attached?.image ?? null;
  }

  /** Whether the slot's memory is registered with the userfaultfd handler. */
  servedByUserfaultfd(slot: number): boolean {
    return this.records[slot]!.attached?.source === "userfaultfd";
  }

  /** Faults the handler answered for the slot's memory since this was last asked (or
   *  since it was registered). */
  userfaultsSinceLastRead(slot: number): UserfaultCounts {
    const record = this.records[slot]!;
    const now = this.addon.userfaultStats(record.memory!);
    const last = record.userfaultsRead;
    record.userfaultsRead = now;
    return {
      faults: now.faults - last.faults,
      copies: now.copies - last.copies,
      zeroPages: now.zeroPages - last.zeroPages,
      wakes: now.wakes - last.wakes,
      serviceNs: now.serviceNs - last.serviceNs,
      queuedNs: now.queuedNs - last.queuedNs,
    };
  }

  /** Retires a free slot: its memory is dropped and the slot turns cold. */
  private retire(slot: number, reason: string): Retirement {
    const retired = this.dropMemory(slot, reason);
    this.allocator.makeCold(slot);
    return retired;
  }

  /** The one way a slot loses its memory (a reset failed, the module was unloaded, the
   *  memory grew, or its limits do not fit the next module). The image is detached
   *  first, as Wasmtime removes images from purged slots: a MAP_PRIVATE mapping of the
   *  memfd keeps the image's file referenced, so without the unmap its pages stay pinned
   *  until V8 collects the dropped memory, which may be never; a registration would
   *  keep the image's private copy alive the same way. */
  private dropMemory(slot: number, reason: string): Retirement {
    const record = this.records[slot]!;
    if (record.memory && record.attached) {
      try {
        this.detach(record.memory, record.base!, record.attached);
      } catch {
        // The memory is being dropped anyway; V8 unmaps all of it when it is collected.
      }
    }
    record.retirements.push(reason);
    record.memory = null;
    record.attached = null;
    record.base = null;
    record.limits = null;
    return { slot, reason };
  }

  private detach(
    memory: WebAssembly.Memory,
    base: bigint,
    attached: Attachment,
  ): { ns: number; syscalls: SyscallCounts } {
    if (attached.source === "userfaultfd") return this.addon.userfaultDetach(memory, base);
    const image = attached.image!; // a mapping attachment always has its image
    return this.addon.unmapImage(memory, base, image.offset, image.native.length);
  }

  private unusableBecause(record: SlotRecord, limits: MemoryLimits): string | null {
    const current = record.memory!.buffer.byteLength / WASM_PAGE;
    if (record.limits!.initialPages !== limits.initialPages || current !== limits.initialPages) {
      return `its memory has ${current} pages and the module needs ${limits.initialPages}; V8 memories cannot be resized down`;
    }
    if (record.limits!.maximumPages !== limits.maximumPages) {
      return `its memory's maximum (${record.limits!.maximumPages ?? "none"}) differs from the module's (${limits.maximumPages ?? "none"}), fixed when a V8 memory is created`;
    }
    return null;
  }
}
