// The harness catches what the webview tests assert is absent (CSP violations, console
// errors, axe violations), and its themes really differ: otherwise "none found" and
// "passes in every theme" would prove nothing.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { THEMES } from "./theme";
import { startHarness, type WebviewHarness } from "./webview-harness";

let harness: WebviewHarness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

test("the page carries webviewHtml()'s CSP and a per-page nonce", async () => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const view = await harness.openWebview();
    const csp = await view.page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute("content");
    assert.match(csp ?? "", /^default-src 'none'; script-src 'nonce-([A-Za-z0-9_-]+)';/);
    nonces.push(/'nonce-([^']+)'/.exec(csp!)![1]!);
    assert.deepEqual(view.collectConsoleErrors(), []);
    await view.close();
  }
  assert.notEqual(nonces[0], nonces[1]);
});

test("an inline style and an un-nonced script are reported as CSP violations", async () => {
  const view = await harness.openWebview();
  await view.page.evaluate(() => {
    const style = document.createElement("style");
    style.textContent = "body { color: red; }";
    document.head.append(style);
    const script = document.createElement("script");
    script.textContent = "window.injected = true;";
    document.head.append(script);
  });
  await view.page.waitForFunction(
    () =>
      (window as unknown as { __wasmCowHarness: { violations: unknown[] } }).__wasmCowHarness
        .violations.length >= 2,
  );
  const violations = view.cspViolations();
  assert.equal(violations.length, 2, violations.join("\n"));
  assert.ok(violations.some((v) => v.includes('"directive":"style-src-elem"')));
  assert.ok(violations.some((v) => v.includes('"directive":"script-src-elem"')));
  assert.equal(await view.page.evaluate(() => "injected" in window), false);
  assert.ok(view.collectConsoleErrors().length >= 2);
  await view.close();
});

test("uncaught errors are collected, and the app reports them to the host", async () => {
  const view = await harness.openWebview();
  await view.page.evaluate(() => {
    const button = document.createElement("button");
    button.addEventListener("click", () => {
      throw new Error("boom from a handler");
    });
    document.body.append(button);
    button.click();
  });
  assert.ok(view.collectConsoleErrors().some((e) => e.includes("boom from a handler")));
  const reported = await view.waitForPosted((m) => m.type === "error");
  assert.match(JSON.stringify(reported), /boom from a handler/);
  await view.close();
});

test("axe reports an unlabelled button", async () => {
  const view = await harness.openWebview();
  await view.page.evaluate(() => document.body.append(document.createElement("button")));
  const violations = await view.checkAxe();
  assert.deepEqual(
    violations.map((v) => v.id),
    ["button-name"],
  );
  await view.close();
});

test("the three themes set different colours, and setTheme switches them", async () => {
  const view = await harness.openWebview({ theme: "light" });
  const colours = new Set<string>();
  for (const theme of THEMES) {
    await view.setTheme(theme);
    const [background, foreground] = await view.page.evaluate(() => {
      const style = getComputedStyle(document.body);
      return [style.backgroundColor, style.color];
    });
    assert.notEqual(background, foreground);
    colours.add(background);
  }
  assert.equal(colours.size, THEMES.length);
  await view.close();
});
