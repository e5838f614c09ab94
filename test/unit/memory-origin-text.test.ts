// The words for where a memory lives and how it was filled. The reason for no image can
// name the module's imports, so it reaches a terminal or the webview escaped.

import assert from "node:assert/strict";
import { test } from "node:test";
import { memoryInitText, memoryPlaceText } from "../../common/memory-origin-text";

test("each place and way of filling in words; a module's name in the reason is escaped", () => {
  assert.equal(
    memoryPlaceText({ slot: 3, origin: { place: "slot", init: "image", noImage: null } }),
    "in slot 3",
  );
  assert.equal(
    memoryInitText({ place: "slot", init: "image", noImage: null }),
    "mapped from the copy-on-write image",
  );
  assert.equal(
    memoryInitText({
      place: "imported",
      init: "copied",
      noImage: "data segment 0 initialises imported memory 0 (env.\u001b[2Jmem)",
    }),
    "data segments copied at instantiation: no image because data segment 0 initialises imported memory 0 (env.\\x1b[2Jmem)",
  );
  assert.equal(
    memoryInitText({ place: "own", init: "none", noImage: "no segments" }),
    "no data to write: no image because no segments",
  );
});
