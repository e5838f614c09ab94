// Timing a webview's paint on the page's own clock (the harness hands messages to Chromium
// through the DevTools protocol, which costs seconds for a big report and is not part of
// VS Code): from a host message's arrival to the first animation frame in which the page
// shows what that message should produce.
//
// Page scripts are plain JavaScript text: a serialized TypeScript function would carry the
// loader's helpers, which do not exist in the page.

/** In the page: notes when a message of `type` arrives and when `shown` (a JavaScript
 *  expression) first holds after it, checked every animation frame. */
export function watchPaint(type: string, shown: string): string {
  return `
    const timing = { arrived: 0, painted: 0 };
    window.__paintTiming = timing;
    window.addEventListener("message", (event) => {
      if (!event.data || event.data.type !== ${JSON.stringify(type)}) return;
      timing.arrived = performance.now();
      const check = () => {
        if (${shown}) timing.painted = performance.now();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, { capture: true });
  `;
}

/** Waits in the page until the watched paint happened; both times on the page's clock. */
export const PAINT_TIMES = `
  new Promise((resolve) => {
    const wait = () => {
      if (window.__paintTiming.painted) resolve({ ...window.__paintTiming });
      else setTimeout(wait, 5);
    };
    wait();
  })
`;
