// Sub-tests of one shared session: each scenario is its own `node:test` sub-test (so the
// report names what failed), run in order on the same workbench, and keeps a screenshot
// under test-results/ when it fails.

import type { TestContext } from "node:test";
import type { Workbench } from "./workbench";

export function scenarioRunner(t: TestContext, session: string, workbench: Workbench) {
  return async (name: string, body: () => Promise<void>): Promise<void> => {
    await t.test(name, async () => {
      try {
        await body();
      } catch (error) {
        const slug = name
          .replace(/[^\w]+/g, "-")
          .replace(/^-|-$/g, "")
          .slice(0, 60);
        await workbench.screenshot(`${session}-${slug}-failure`).catch(() => {});
        throw error;
      }
    });
  };
}
