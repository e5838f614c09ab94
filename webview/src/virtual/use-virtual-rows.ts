// A hook that virtualises a scrolling list of equally tall rows: it tracks the scroll
// container's position and size, measures one rendered row, and positions the rendered
// window through CSS custom properties set with the CSSOM (our CSP forbids style
// attributes; CSSOM changes from our own script are allowed).
//
// Markup contract: the scroll element gets `scrollRef`; an optional sticky header inside
// it carries `data-virtual-header`; rows carry `data-virtual-row`; CSS sizes the body
// with `var(--virtual-height)` and moves the rendered window by `var(--virtual-offset)`.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { scrollTopForRow, visibleWindow, type RowWindow } from "./virtual-window";

export interface VirtualRows {
  /** Callback ref for the scroll element. */
  scrollRef(element: HTMLDivElement | null): void;
  rows: RowWindow;
  /** Scrolls the least needed to show `row` entirely. */
  revealRow(row: number): void;
  /** Rows that fit in the viewport (for Page Up/Down). */
  pageRows: number;
}

export function useVirtualRows(
  rowCount: number,
  { fallbackRowHeight = 22, overscan = 6 }: { fallbackRowHeight?: number; overscan?: number } = {},
): VirtualRows {
  const [element, scrollRef] = useState<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);
  const [rowHeight, setRowHeight] = useState(fallbackRowHeight);

  // Scroll and size tracking (one state update per frame at most).
  useEffect(() => {
    if (!element) return;
    let frame = 0;
    const measure = (): void => {
      frame = 0;
      const header = element.querySelector<HTMLElement>("[data-virtual-header]");
      const headerHeight = header ? header.getBoundingClientRect().height : 0;
      setScrollTop(element.scrollTop);
      setViewportHeight(Math.max(0, element.clientHeight - headerHeight));
    };
    const schedule = (): void => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    measure();
    element.addEventListener("scroll", schedule, { passive: true });
    const observer = new ResizeObserver(schedule);
    observer.observe(element);
    return () => {
      element.removeEventListener("scroll", schedule);
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [element]);

  const input = { rowCount, rowHeight, scrollTop, viewportHeight };
  const rows = visibleWindow({ ...input, overscan });

  // Rows follow the font size the theme sets: measure a real one (fractions matter
  // over 100,000 rows).
  useLayoutEffect(() => {
    const row = element?.querySelector<HTMLElement>("[data-virtual-row]");
    const height = row?.getBoundingClientRect().height;
    if (height && Math.abs(height - rowHeight) > 0.01) setRowHeight(height);
  });

  useLayoutEffect(() => {
    if (!element) return;
    element.style.setProperty("--virtual-height", `${rows.totalHeight}px`);
    element.style.setProperty("--virtual-offset", `${rows.offset}px`);
  }, [element, rows.totalHeight, rows.offset]);

  // Reveal requests wait for the first measurement (a row cannot be placed in a
  // viewport of unknown height, e.g. the selected row when the tab opens).
  const latest = useRef({ input, element });
  const pending = useRef<number | null>(null);
  const reveal = useCallback((row: number): void => {
    const { input, element } = latest.current;
    if (!element || input.viewportHeight <= 0) {
      pending.current = row;
      return;
    }
    pending.current = null;
    const target = scrollTopForRow(row, { ...input, scrollTop: element.scrollTop });
    if (target !== null) {
      element.scrollTop = target;
      setScrollTop(element.scrollTop);
    }
  }, []);
  useLayoutEffect(() => {
    latest.current = { input, element };
    if (pending.current !== null && viewportHeight > 0) reveal(pending.current);
  });

  return {
    scrollRef,
    rows,
    revealRow: reveal,
    pageRows: Math.max(1, Math.floor(viewportHeight / rowHeight)),
  };
}
