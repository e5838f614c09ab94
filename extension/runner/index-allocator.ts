// Slot choice as Wasmtime's ModuleAffinityIndexAllocator (pooling/index_allocator.rs):
//
// - Every slot is in one state: Used(affinity), UnusedCold (never used; handed out in
//   index order) or UnusedWarm(affinity, bytes resident).
// - Warm slots form one list in the order they were freed (head = least recently
//   used), and each affinity key has its own list of warm slots.
// - alloc(key): the most recently freed warm slot with this key; otherwise, while fewer
//   than `maxUnusedWarmSlots` slots are warm, a cold slot first and then the least
//   recently used warm slot; past that threshold the LRU warm slot first, then cold.
// - free(slot, key, bytesResident): the slot becomes warm, at the tail of both lists.
//
// Lists are plain arrays: pools here have a handful of slots, not Wasmtime's thousands.

import type { PickKind } from "../../common/run-types";

export type AffinityKey = string;

export type SlotEntry =
  | { state: "used"; affinity: AffinityKey | null }
  | { state: "cold" }
  | { state: "warm"; affinity: AffinityKey; bytesResident: number };

export interface Pick {
  slot: number;
  kind: PickKind;
  /** The affinity the slot had before (the module whose image it may still map). */
  previousAffinity: AffinityKey | null;
}

export class IndexAllocator {
  private readonly slots: SlotEntry[];
  /** Warm slots, least recently freed first. */
  private warm: number[] = [];

  constructor(
    capacity: number,
    private readonly maxUnusedWarmSlots: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("a pool needs at least one slot");
    if (!Number.isInteger(maxUnusedWarmSlots) || maxUnusedWarmSlots < 0) {
      throw new RangeError("maxUnusedWarmSlots must be a non-negative integer");
    }
    this.slots = Array.from({ length: capacity }, () => ({ state: "cold" }) as const);
  }

  get capacity(): number {
    return this.slots.length;
  }

  entry(slot: number): SlotEntry {
    return this.slots[slot]!;
  }

  get unusedWarmSlots(): number {
    return this.warm.length;
  }

  /** Bytes left resident in warm slots (Wasmtime's `unused_memory_bytes_resident`). */
  get unusedBytesResident(): number {
    return this.warm.reduce(
      (sum, slot) => sum + (this.slots[slot] as { bytesResident: number }).bytesResident,
      0,
    );
  }

  /** Returns null when every slot is in use. */
  alloc(key: AffinityKey): Pick | null {
    const pick =
      this.pickAffine(key) ??
      (this.warm.length < this.maxUnusedWarmSlots
        ? (this.pickCold() ?? this.pickWarm())
        : (this.pickWarm() ?? this.pickCold()));
    if (!pick) return null;
    const before = this.slots[pick.slot]!;
    this.warm = this.warm.filter((s) => s !== pick.slot);
    this.slots[pick.slot] = { state: "used", affinity: key };
    return { ...pick, previousAffinity: before.state === "warm" ? before.affinity : null };
  }

  free(slot: number, bytesResident: number): void {
    const entry = this.slots[slot];
    if (entry?.state !== "used") throw new Error(`slot ${slot} is not in use`);
    if (entry.affinity === null) {
      this.slots[slot] = { state: "cold" };
      return;
    }
    this.slots[slot] = { state: "warm", affinity: entry.affinity, bytesResident };
    this.warm.push(slot);
  }

  /** Forgets a slot's contents (its memory was replaced): it becomes cold again. */
  makeCold(slot: number): void {
    const entry = this.slots[slot];
    if (entry?.state === "used") throw new Error(`slot ${slot} is in use`);
    this.warm = this.warm.filter((s) => s !== slot);
    this.slots[slot] = { state: "cold" };
  }

  /** Slots warm with this key, e.g. to purge them when the module is dropped. */
  warmSlotsWith(key: AffinityKey): number[] {
    return this.warm.filter(
      (slot) => (this.slots[slot] as { affinity: AffinityKey }).affinity === key,
    );
  }

  private pickAffine(key: AffinityKey): Omit<Pick, "previousAffinity"> | null {
    for (let i = this.warm.length - 1; i >= 0; i--) {
      const slot = this.warm[i]!;
      if ((this.slots[slot] as { affinity: AffinityKey }).affinity === key)
        return { slot, kind: "affine" };
    }
    return null;
  }

  private pickCold(): Omit<Pick, "previousAffinity"> | null {
    const slot = this.slots.findIndex((s) => s.state === "cold");
    return slot < 0 ? null : { slot, kind: "cold" };
  }

  private pickWarm(): Omit<Pick, "previousAffinity"> | null {
    const slot = this.warm[0];
    return slot === undefined ? null : { slot, kind: "warm" };
  }
}
