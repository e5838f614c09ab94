// The mouse on the map: hover reports the page under the pointer, a click selects it, a
// drag or the wheel scrolls, Ctrl+wheel zooms around the pointer. The wheel listener is
// not passive so it can keep the page from scrolling while the map does.

import {
  useEffect,
  useLayoutEffect,
  useRef,
  type Dispatch,
  type MutableRefObject,
  type PointerEvent,
  type RefObject,
  type SetStateAction,
} from "react";
import { pageAt, type GridLayout } from "./grid-layout";

/** Pointer travel (CSS pixels) after which a press is a drag, not a click. */
const DRAG_FROM = 4;

export interface MapPointerOptions {
  canvasRef: RefObject<HTMLCanvasElement | null>;
  layoutRef: MutableRefObject<GridLayout>;
  setScroll: Dispatch<SetStateAction<number>>;
  setHover(page: number | null): void;
  zoomBy(direction: 1 | -1, at: { x: number; y: number }): void;
  onClick(page: number): void;
}

interface Drag {
  pointer: number;
  startY: number;
  startScroll: number;
  moved: boolean;
}

function canvasPoint(canvas: HTMLCanvasElement, layout: GridLayout, event: MouseEvent) {
  const box = canvas.getBoundingClientRect();
  return { x: (event.clientX - box.left) * layout.dpr, y: (event.clientY - box.top) * layout.dpr };
}

export function useMapPointer(options: MapPointerOptions) {
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });
  const drag = useRef<Drag | null>(null);

  useEffect(() => {
    const canvas = options.canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent): void => {
      const { layoutRef, setScroll, zoomBy } = latest.current;
      const layout = layoutRef.current;
      if (event.ctrlKey) {
        event.preventDefault();
        if (event.deltaY !== 0)
          zoomBy(event.deltaY < 0 ? 1 : -1, canvasPoint(canvas, layout, event));
        return;
      }
      const unit =
        event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? layout.height / layout.dpr : 1;
      const delta = event.deltaY * unit * layout.dpr;
      const next = Math.min(layout.maxScroll, Math.max(0, layout.scroll + delta));
      if (next === layout.scroll) return; // at an end: let the page itself scroll
      event.preventDefault();
      setScroll(next);
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, [options.canvasRef]);

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>): void => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = {
      pointer: event.pointerId,
      startY: event.clientY,
      startScroll: latest.current.layoutRef.current.scroll,
      moved: false,
    };
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>): void => {
    const { layoutRef, setScroll, setHover } = latest.current;
    const layout = layoutRef.current;
    const pressed = drag.current;
    if (pressed && pressed.pointer === event.pointerId) {
      const dy = event.clientY - pressed.startY;
      if (Math.abs(dy) >= DRAG_FROM) pressed.moved = true;
      if (pressed.moved) {
        setScroll(Math.min(layout.maxScroll, Math.max(0, pressed.startScroll - dy * layout.dpr)));
        return;
      }
    }
    const point = canvasPoint(event.currentTarget, layout, event.nativeEvent);
    setHover(pageAt(layout, point.x, point.y));
  };

  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>): void => {
    const pressed = drag.current;
    drag.current = null;
    if (!pressed || pressed.pointer !== event.pointerId || pressed.moved) return;
    const layout = latest.current.layoutRef.current;
    const point = canvasPoint(event.currentTarget, layout, event.nativeEvent);
    const page = pageAt(layout, point.x, point.y);
    if (page !== null) latest.current.onClick(page);
  };

  return {
    onPointerDown,
    onPointerMove,
    onPointerUp,
    onPointerCancel: () => {
      drag.current = null;
    },
    onPointerLeave: () => latest.current.setHover(null),
  };
}
