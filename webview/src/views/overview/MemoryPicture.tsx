// One memory to scale (long empty gaps log-compressed, each break marked with its size):
// the regions the linker's globals and segment names reveal, the image with its data and
// zero pages, and after a run the pages the latest step left dirtied, attributed to the
// regions ("5 pages dirtied: 2 .data, 2 heap, 1 stack"). A table under the picture holds
// the same facts as exact numbers.

import { useMemo, useRef, type ReactElement } from "react";
import { formatBytes, hex } from "../../../../common/format";
import {
  LAYER_IMAGE_DATA,
  LAYER_IMAGE_ZERO,
  type StaticLayer,
} from "../../../../common/layer-values";
import {
  attributeDirtied,
  DIRTIED_STATES,
  dirtiedText,
  type MemoryRegion,
} from "../../../../common/memory-regions";
import { PAGE_STATES } from "../../../../common/page-states";
import { displayText } from "../../../../common/display-text";
import { useElementSize } from "../../page-map/use-element-size";
import { pictureScale, type PictureScale } from "./picture-scale";
import { pixelRuns } from "./picture-runs";
import { PictureLegend } from "./PictureLegend";
import { RegionTable } from "./RegionTable";

/** A step's page states of this memory, as the picture shows them. */
export interface DirtiedSource {
  /** "step 5 (invoke work)". */
  step: string;
  states: Uint8Array;
  hostPageSize: number;
}

export interface MemoryPictureProps {
  memory: number;
  /** The memory's initial size in bytes. */
  size: number;
  image: { offset: number; length: number } | null;
  layer: StaticLayer | null;
  regions: readonly MemoryRegion[];
  dirtied: DirtiedSource | null;
}

const GUTTER = 64;
const TRACK = { regions: 4, image: 32, dirtied: 52, axis: 76 } as const;
const TRACK_HEIGHT = { regions: 22, image: 14, dirtied: 14 } as const;
/** Axis labels closer than this (pixels) to the last one are left out. */
const LABEL_SPACING = 76;

const IMAGE_RANK = (value: number): number =>
  value === LAYER_IMAGE_DATA ? 2 : value === LAYER_IMAGE_ZERO ? 1 : 0;
const DIRTIED_RANK = (value: number): number =>
  DIRTIED_STATES.indexOf(PAGE_STATES[value] as (typeof DIRTIED_STATES)[number]) + 1;

export function MemoryPicture(props: MemoryPictureProps): ReactElement {
  const { memory, image, layer, regions, dirtied } = props;
  const boxRef = useRef<HTMLDivElement>(null);
  const { width: boxWidth } = useElementSize(boxRef);
  const width = Math.max(0, boxWidth - GUTTER);
  const total = Math.max(
    props.size,
    dirtied ? dirtied.states.length * dirtied.hostPageSize : 0,
    image ? image.offset + image.length : 0,
  );
  const spans = useMemo(() => {
    const list: [number, number][] = regions.map((r) => [r.start, r.end]);
    if (image && image.length > 0) list.push([image.offset, image.offset + image.length]);
    return list;
  }, [regions, image]);
  const scale = useMemo(() => pictureScale(spans, total, width), [spans, total, width]);
  const imageRuns = useMemo(
    () => (layer ? pixelRuns(layer.pages, layer.pageSize, scale, IMAGE_RANK) : []),
    [layer, scale],
  );
  const dirtiedRuns = useMemo(
    () => (dirtied ? pixelRuns(dirtied.states, dirtied.hostPageSize, scale, DIRTIED_RANK) : []),
    [dirtied, scale],
  );
  const attribution = useMemo(
    () => (dirtied ? attributeDirtied(regions, dirtied.states, dirtied.hostPageSize) : null),
    [regions, dirtied],
  );
  const height = dirtied ? TRACK.axis + 16 : TRACK.dirtied + 16;
  const axisY = dirtied ? TRACK.axis : TRACK.dirtied;
  const summary = attribution
    ? `After ${dirtied!.step}: ${displayText(dirtiedText(attribution))}.`
    : null;

  return (
    <figure className="memory-picture" aria-label={`Memory ${memory} to scale`}>
      <div ref={boxRef} className="memory-picture-box" data-width={width}>
        {width > 0 && (
          <svg
            width={boxWidth}
            height={height}
            role="img"
            aria-label={pictureLabel(props, total, summary)}
          >
            <TrackName y={TRACK.regions + 15} text="Regions" />
            <TrackName y={TRACK.image + 11} text="Image" />
            {dirtied && <TrackName y={TRACK.dirtied + 11} text="Dirtied" />}
            <g transform={`translate(${GUTTER} 0)`}>
              <rect
                className="picture-memory"
                x={0}
                y={TRACK.image}
                width={width}
                height={TRACK_HEIGHT.image}
              />
              {regions.length === 0 && (
                <text className="picture-track-note" x={4} y={TRACK.regions + 15}>
                  {/* Short: SVG text does not wrap, and the lane may be narrow. */}
                  None known
                  <title>
                    No named data segments, and no __data_end, __heap_base or __stack_pointer global
                  </title>
                </text>
              )}
              {[...regions]
                .sort((a, b) => Number(b.kind === "data") - Number(a.kind === "data"))
                .map((region) => (
                  <RegionBox key={`${region.kind}-${region.label}`} region={region} scale={scale} />
                ))}
              {imageRuns.map((run) => (
                <rect
                  key={run.x0}
                  className={
                    run.value === LAYER_IMAGE_DATA ? "picture-image-data" : "picture-image-zero"
                  }
                  x={run.x0}
                  y={TRACK.image}
                  width={run.x1 - run.x0}
                  height={TRACK_HEIGHT.image}
                />
              ))}
              {dirtiedRuns.map((run) => (
                <rect
                  key={run.x0}
                  className={`picture-dirtied picture-state-${PAGE_STATES[run.value]}`}
                  x={run.x0}
                  y={TRACK.dirtied}
                  width={run.x1 - run.x0}
                  height={TRACK_HEIGHT.dirtied}
                />
              ))}
              <Breaks scale={scale} y={TRACK.image} />
              <Axis scale={scale} y={axisY} total={total} />
            </g>
          </svg>
        )}
      </div>
      <PictureLegend regions={regions} dirtied={dirtiedRuns.map((run) => run.value)} />
      {summary && <figcaption className="memory-picture-summary">{summary}</figcaption>}
      {regions.length > 0 && <RegionTable regions={regions} attribution={attribution} />}
    </figure>
  );
}

function TrackName({ y, text }: { y: number; text: string }): ReactElement {
  return (
    <text className="picture-track-name" x={0} y={y}>
      {text}
    </text>
  );
}

function RegionBox({ region, scale }: { region: MemoryRegion; scale: PictureScale }): ReactElement {
  const x0 = scale.x(region.start);
  const x1 = Math.max(x0 + 1, scale.x(region.end));
  // Named segments lie inside the static data: drawn inset, so both show.
  const inset = region.kind === "segment" ? 3 : 0;
  const label = displayText(region.label);
  const fits = x1 - x0 > label.length * 6.5 + 8;
  return (
    <g className={`picture-region picture-region-${region.kind}`} data-region={region.label}>
      <title>{`${label}: ${hex(region.start)}–${hex(region.end)} (${formatBytes(region.end - region.start)}), from ${region.source}`}</title>
      <rect
        x={x0}
        y={TRACK.regions + inset}
        width={x1 - x0}
        height={TRACK_HEIGHT.regions - 2 * inset}
      />
      {fits && (
        <text x={x0 + 4} y={TRACK.regions + 15}>
          {label}
        </text>
      )}
    </g>
  );
}

/** A zigzag at the start of each compressed gap, and its true size. */
function Breaks({ scale, y }: { scale: PictureScale; y: number }): ReactElement {
  return (
    <g className="picture-breaks">
      {scale.pieces
        .filter((piece) => piece.compressed)
        .map((piece) => {
          const label = `≈ ${formatBytes(piece.end - piece.start)} empty`;
          // The size is written in the gap when it fits there, else it is its tooltip.
          const fits = piece.x1 - piece.x0 > label.length * 6.5 + 24;
          return (
            <g key={piece.start} data-gap={piece.end - piece.start}>
              <path d={`M ${piece.x0 + 6} ${y} l 4 3.5 l -4 3.5 l 4 3.5 l -4 3.5`} />
              {fits ? (
                <text x={piece.x0 + 16} y={y + 11}>
                  {label}
                </text>
              ) : (
                <title>{label}</title>
              )}
            </g>
          );
        })}
    </g>
  );
}

/** Addresses where filled pieces begin and end, as many as fit. */
function Axis({
  scale,
  y,
  total,
}: {
  scale: PictureScale;
  y: number;
  total: number;
}): ReactElement {
  const marks = [
    ...new Set([0, ...scale.pieces.flatMap((p) => (p.filled ? [p.start, p.end] : [])), total]),
  ];
  let last = -Infinity;
  const shown = marks.filter((address) => {
    const x = scale.x(address);
    const keep =
      x - last >= LABEL_SPACING && (address === total || scale.width - x >= LABEL_SPACING / 2);
    if (keep) last = x;
    return keep || address === total;
  });
  return (
    <g className="picture-axis">
      {shown.map((address) => {
        const x = scale.x(address);
        const anchor = address === 0 ? "start" : address === total ? "end" : "middle";
        return (
          <g key={address}>
            <line x1={x} x2={x} y1={y - 4} y2={y} />
            <text x={x} y={y + 11} textAnchor={anchor}>
              {address === total ? formatBytes(total) : hex(address)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function pictureLabel(props: MemoryPictureProps, total: number, summary: string | null): string {
  const parts = [`Memory ${props.memory} to scale, ${formatBytes(total)}`];
  if (props.image)
    parts.push(`image ${hex(props.image.offset)}–${hex(props.image.offset + props.image.length)}`);
  else parts.push("no image");
  for (const region of props.regions)
    parts.push(`${displayText(region.label)} ${hex(region.start)}–${hex(region.end)}`);
  if (summary) parts.push(summary);
  return parts.join("; ");
}
