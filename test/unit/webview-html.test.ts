// webviewHtml: the Content Security Policy of the webview (nothing by default, scripts
// only with this render's nonce, no 'unsafe-inline' or eval) and a page that needs
// nothing the policy forbids.

import assert from "node:assert/strict";
import { test } from "node:test";
import { webviewHtml, type WebviewAssets } from "../../extension/editor/webview-html";

const CSP_SOURCE = "https://file+.vscode-resource.vscode-cdn.net";

const ASSETS: WebviewAssets = {
  cspSource: CSP_SOURCE,
  scriptUri: `${CSP_SOURCE}/ext/dist/webview.js`,
  styleUris: [`${CSP_SOURCE}/ext/dist/webview.css`, `${CSP_SOURCE}/ext/media/codicon.css`],
  title: "sparse.wasm",
};

/** The policy of the page's CSP meta tag: directive name → sources. */
function policyOf(html: string): Map<string, string[]> {
  const metas = [
    ...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi),
  ];
  assert.equal(metas.length, 1, "exactly one CSP meta tag");
  const policy = new Map<string, string[]>();
  for (const directive of metas[0]![1]!.split(";")) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (!name) continue;
    assert.ok(!policy.has(name), `${name} given twice`);
    policy.set(name, sources);
  }
  return policy;
}

interface Tag {
  name: string;
  attributes: Map<string, string>;
}

/** Start tags with their attributes (quoted values may hold `>`), in document order. */
function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(/<([a-zA-Z]+)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attributes = new Map<string, string>();
    for (const attribute of match[2]!.matchAll(/\s+([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
      attributes.set(attribute[1]!.toLowerCase(), attribute[2] ?? "");
    }
    tags.push({ name: match[1]!.toLowerCase(), attributes });
  }
  return tags;
}

test("the CSP allows nothing by default and scripts only with the nonce", () => {
  const html = webviewHtml(ASSETS);
  const policy = policyOf(html);
  assert.deepEqual(policy.get("default-src"), ["'none'"]);
  const scriptSources = policy.get("script-src") ?? [];
  assert.equal(scriptSources.length, 1, `script-src ${scriptSources.join(" ")}`);
  const nonce = /^'nonce-([A-Za-z0-9+/_=-]+)'$/.exec(scriptSources[0]!)?.[1];
  assert.ok(nonce, `script-src ${scriptSources[0]}`);
  // At least 128 bits of randomness (base64: 6 bits a character).
  assert.ok(nonce.replace(/=+$/, "").length * 6 >= 128, nonce);
  for (const name of ["style-src", "font-src", "img-src"]) {
    assert.deepEqual(policy.get(name), [CSP_SOURCE], name);
  }
  // Nothing else is opened up: no connect/frame/worker/object sources.
  assert.deepEqual([...policy.keys()].sort(), [
    "default-src",
    "font-src",
    "img-src",
    "script-src",
    "style-src",
  ]);
  const text = [...policy.values()].flat().join(" ");
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", "*", "data:"]) {
    assert.ok(!text.split(" ").includes(unsafe), `${unsafe} in ${text}`);
  }
});

/** What the CSP would have to allow inline: style attributes and elements, handlers. */
function assertNothingInline(tags: Tag[]): void {
  for (const tag of tags) {
    assert.notEqual(tag.name, "style", "a style element");
    for (const name of tag.attributes.keys()) {
      assert.ok(name !== "style" && !name.startsWith("on"), `<${tag.name} ${name}=…>`);
    }
  }
}

test("the one script is the bundle, with the nonce, and nothing is inline", () => {
  const html = webviewHtml(ASSETS);
  const nonce = /'nonce-([^']+)'/.exec(html)![1]!;
  const tags = tagsOf(html);
  const scripts = tags.filter((t) => t.name === "script");
  assert.equal(scripts.length, 1);
  assert.deepEqual(Object.fromEntries(scripts[0]!.attributes), { nonce, src: ASSETS.scriptUri });
  assert.match(html, /<script [^>]*><\/script>/, "the script has no inline body");
  assertNothingInline(tags);
  const styles = tags.filter((t) => t.name === "link").map((t) => Object.fromEntries(t.attributes));
  assert.deepEqual(
    styles,
    ASSETS.styleUris.map((href) => ({ rel: "stylesheet", href })),
  );
});

test("every render has its own nonce; a given nonce is used as is", () => {
  const nonces = new Set<string>();
  for (let i = 0; i < 50; i++) nonces.add(/'nonce-([^']+)'/.exec(webviewHtml(ASSETS))![1]!);
  assert.equal(nonces.size, 50);

  const html = webviewHtml(ASSETS, "fixedNonce123");
  assert.deepEqual(policyOf(html).get("script-src"), ["'nonce-fixedNonce123'"]);
  const script = tagsOf(html).find((t) => t.name === "script")!;
  assert.equal(script.attributes.get("nonce"), "fixedNonce123");
});

test("URIs and the title cannot inject markup", () => {
  const html = webviewHtml({
    ...ASSETS,
    scriptUri: `${CSP_SOURCE}/a.js" onload="alert(1)`,
    styleUris: [`${CSP_SOURCE}/a.css"><script>alert(2)</script>`],
    title: "</title><script>alert(3)</script>",
  });
  const tags = tagsOf(html);
  assert.equal(tags.filter((t) => t.name === "script").length, 1);
  assertNothingInline(tags);
  assert.deepEqual(
    tags.map((t) => t.name),
    ["html", "head", "meta", "meta", "meta", "link", "title", "body", "div", "script"],
  );
});
