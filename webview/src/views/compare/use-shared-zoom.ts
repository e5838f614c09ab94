// One zoom for both page maps, so one cell is the same number of bytes on each side and
// rows line up on one address axis. Until the user zooms, it is the zoom that fits the
// longer map into the map area (both areas have the same size).

import { useLayoutEffect, useState, type RefObject } from "react";
import { fitZoom } from "../../page-map/grid-layout";

export function useSharedZoom(
  container: RefObject<HTMLElement | null>,
  pages: number,
): [number | undefined, (zoom: number) => void] {
  const [chosen, setChosen] = useState<number | null>(null);
  const [area, setArea] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    // The page map's drawing area (PageMap's `.page-map-area`): what its fit is measured on.
    const element = container.current?.querySelector<HTMLElement>(".page-map-area");
    if (!element) return;
    const update = (): void => {
      const [width, height] = [element.clientWidth, element.clientHeight];
      setArea((old) => (old?.width === width && old.height === height ? old : { width, height }));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, [container, pages]);
  const fitted =
    area && area.width > 0
      ? fitZoom({
          pages,
          cssWidth: area.width,
          cssHeight: area.height,
          dpr: window.devicePixelRatio || 1,
        })
      : undefined;
  return [chosen ?? fitted, setChosen];
}
