// The ranges of the numbers a user sets for a run (CLI options and `wasmCow.*` settings),
// each with the reason for its bound, so that a value out of range is refused when it is
// parsed instead of failing somewhere later.

/** Node's timers take at most 2^31 − 1 ms (about 24.8 days): a longer delay fires after
 *  1 ms instead, which would make a huge time limit kill every call at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The pool's own bookkeeping grows with its size even while slots are cold (50 million
 *  slots took 4.4 GB), and a slot gets a memory only once used: 10,000 is far beyond any
 *  pool this tool can show. */
export const MAX_SLOTS = 10_000;

/** Wasmtime's `max_unused_warm_slots` is a u32. */
export const MAX_UNUSED_WARM_SLOTS = 2 ** 32 - 1;

/** Instances are counted in 32-bit integers in the report. */
export const MAX_INSTANCES = 2 ** 31 - 1;

/** The default cap on what one step keeps of a WASI stream: far more than a report shows. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** The largest cap: kept output becomes a JSON string, where each byte may take up to six
 *  characters (`\u001b`), and V8's strings end at about 2^29 characters; 64 MiB × 6 stays
 *  below that. */
export const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Byte counts (keep-resident) are exact only up to 2^53 − 1 in a JavaScript number. */
export const MAX_BYTE_COUNT = Number.MAX_SAFE_INTEGER;
