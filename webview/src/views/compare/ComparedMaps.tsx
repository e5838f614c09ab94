// Both modules' pages of one memory side by side, on one address axis at one scale:
// page i is address i × page size on both maps, and differing pages are marked.

import { useCallback, useMemo, useRef, type ReactElement } from "react";
import type { PageKind } from "../../../../common/layout-diff";
import { pageRangeAt, pageRangeHolding, type PackedDiff } from "../../../../common/packed-diff";
import { PageMap } from "../../page-map/PageMap";
import { useSharedZoom } from "./use-shared-zoom";
import type { StaticLayer } from "../../../../common/layer-values";

const KIND_WORDS: Record<PageKind, string> = {
  outside: "outside the image",
  zero: "image zero page",
  data: "image data page",
};

export interface MapSide {
  fileName: string;
  layer: StaticLayer | null;
}

export interface ComparedMapsProps {
  diff: PackedDiff;
  memory: number;
  left: MapSide;
  right: MapSide;
  /** Pages [first, end) of the selected difference, outlined on both maps. */
  highlight: readonly [number, number] | null;
  selectedPage: number | null;
  onSelectPage(page: number): void;
}

export function ComparedMaps(props: ComparedMapsProps): ReactElement {
  const { diff, highlight } = props;
  const memory = diff.memories[props.memory]!;
  const container = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useSharedZoom(container, memory.axisPages);
  // Stable arrays, so the maps repaint only when these change.
  const outlines = useMemo(() => (highlight ? [highlight] : undefined), [highlight]);
  const marks = useMemo(
    () => ({
      left: memory.marked.subarray(0, props.left.layer?.pages.length ?? 0),
      right: memory.marked.subarray(0, props.right.layer?.pages.length ?? 0),
    }),
    [memory.marked, props.left.layer, props.right.layer],
  );
  // The range a page falls in, in words.
  const describe = useCallback(
    (page: number): string => {
      const row = pageRangeHolding(diff, props.memory, page);
      if (row === null) return "same in both modules";
      const range = pageRangeAt(diff, props.memory, row);
      const content = range.contentDiffers ? ", bytes differ" : "";
      return `differs: left ${KIND_WORDS[range.left]}, right ${KIND_WORDS[range.right]}${content}`;
    },
    [diff, props.memory],
  );
  return (
    <div className="compare-maps" ref={container}>
      {(["left", "right"] as const).map((side) => {
        const { fileName, layer } = props[side];
        return (
          <section key={side} className="compare-map" aria-label={`${fileName} (${side})`}>
            <h3>
              {fileName} <span className="compare-side">({side})</span>
            </h3>
            {layer === null ? (
              <p className="notice">
                {fileName} has no memory {memory.memory}.
              </p>
            ) : (
              <PageMap
                label={`Memory ${memory.memory} of ${fileName} (${side}), differing pages marked`}
                palette="layer"
                pages={layer.pages}
                pageSize={layer.pageSize}
                marked={marks[side]}
                markedMeaning="Differs from the other module"
                highlight={outlines}
                highlightMeaning="The selected difference"
                selectedPage={props.selectedPage}
                onSelectPage={props.onSelectPage}
                describePage={describe}
                zoom={zoom}
                onZoom={setZoom}
              />
            )}
          </section>
        );
      })}
    </div>
  );
}
