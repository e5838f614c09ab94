// Lets `vscode-tabs` wrap its tab headers onto a second row in a narrow editor: its tab
// list is a flex row without wrapping, inside its shadow root, with no part to style it
// from outside; at 420 px the last headers would be off screen and the page would
// scroll sideways. One constructed stylesheet, added to the element's own (Lit puts its
// styles there the same way, so the webview's CSP allows it).

const WRAP = new CSSStyleSheet();
WRAP.replaceSync(".tablist { flex-wrap: wrap; }");

/** A ref callback for `VscodeTabs`. */
export function wrapTabHeaders(tabs: HTMLElement | null): void {
  const root = tabs?.shadowRoot;
  if (root && !root.adoptedStyleSheets.includes(WRAP)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, WRAP];
  }
}
