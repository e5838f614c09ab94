// The page map of one memory: the static image layer, or (after a run) the latest step's
// runtime page states; the selected data segment's pages outlined; and the selected
// page's bytes, image next to live instance, in a hex view.

import {
  VscodeCheckbox,
  VscodeLabel,
  VscodeOption,
  VscodeSingleSelect,
} from "@vscode-elements/react-elements";
import { useCallback, useMemo, useState, type ReactElement } from "react";
import { PageMap } from "../page-map/PageMap";
import { pageRange } from "../page-map/page-text";
import { SegmentIndex, segmentsText } from "../page-map/segment-index";
import { usePageBytes } from "../page-map/use-page-bytes";
import "../styles/page-map.css";
import { HexView } from "./HexView";
import type { ViewProps } from "./view-props";
import { displayText } from "../../../common/display-text";
import { emptyMapText } from "../../../common/empty-map-text";
import {
  attributeDirtied,
  dirtiedText,
  pageRegionText,
  reportRegions,
} from "../../../common/memory-regions";

type Source = "layer" | "runtime";

export function PageMapView({ data, run, selection, select }: ViewProps): ReactElement {
  const report = data.report;
  const memories = report.memories;
  const memory = memories.some((m) => m.index === selection.memory)
    ? selection.memory
    : (memories[0]?.index ?? 0);
  const layer = data.layers.find((l) => l.memory === memory) ?? null;
  const image = report.images.find((i) => i.memory === memory) ?? null;
  const steps = run?.steps ?? [];
  const lastStep = steps.at(-1) ?? null;
  const runtime = lastStep?.memories.find((m) => m.memory === memory && m.states) ?? null;
  const [source, setSource] = useState<Source>("layer");
  const showRuntime = source === "runtime" && runtime?.states != null;
  const pages = showRuntime ? runtime!.states! : (layer?.pages ?? null);
  // Runtime page states count host pages, of the size the runner probed.
  const hostPageSize = run?.hostPageSize ?? null;
  const pageSize =
    showRuntime && hostPageSize !== null ? hostPageSize : (layer?.pageSize ?? report.plan.pageSize);
  const layerPageSize = layer?.pageSize ?? report.plan.pageSize;

  // The shared selection counts pages of the layer's size; the runtime map's pages may be
  // smaller, so its exact page is kept here while it still matches the selection.
  const [exact, setExact] = useState<{ memory: number; page: number; layerPage: number } | null>(
    null,
  );
  const selectedPage = useMemo(() => {
    if (selection.page === null || !pages) return null;
    if (pageSize === layerPageSize) return selection.page;
    if (exact && exact.memory === memory && exact.layerPage === selection.page) {
      return Math.floor((exact.page * (hostPageSize ?? pageSize)) / pageSize);
    }
    return Math.floor((selection.page * layerPageSize) / pageSize);
  }, [selection.page, pages, pageSize, layerPageSize, exact, memory]);
  const onSelectPage = useCallback(
    (page: number) => {
      const layerPage = Math.floor((page * pageSize) / layerPageSize);
      const hostPage = Math.floor((page * pageSize) / (hostPageSize ?? pageSize));
      setExact({ memory, page: hostPage, layerPage });
      select({ memory, page: layerPage });
    },
    [memory, pageSize, layerPageSize, select],
  );

  const segments = useMemo(
    () => new SegmentIndex(report.dataSegments, memory),
    [report.dataSegments, memory],
  );
  const regions = useMemo(() => reportRegions(report, memory), [report, memory]);
  // A pass over every page (a million for 4 GiB): once per step, not per render.
  const runtimeStates = showRuntime ? runtime!.states! : null;
  const dirtied = useMemo(
    () =>
      runtimeStates && hostPageSize !== null
        ? attributeDirtied(regions, runtimeStates, hostPageSize)
        : null,
    [regions, runtimeStates, hostPageSize],
  );
  const describePage = useCallback(
    (page: number) =>
      [
        segmentsText(segments.overlapping(page * pageSize, (page + 1) * pageSize)),
        displayText(pageRegionText(regions, page, pageSize)),
      ]
        .filter(Boolean)
        .join(" · "),
    [segments, regions, pageSize],
  );
  const highlight = useMemo(() => {
    const segment = report.dataSegments.find((s) => s.index === selection.segment);
    if (!segment || segment.memory !== memory || segment.start === null || segment.size === 0) {
      return undefined;
    }
    const first = Math.floor(segment.start / pageSize);
    const end = Math.ceil((segment.start + segment.size) / pageSize);
    return [[first, end] as const];
  }, [report.dataSegments, selection.segment, memory, pageSize]);

  if (memories.length === 0) {
    return (
      <section aria-label="Page map">
        <p>This module has no memory: there are no pages to draw.</p>
      </section>
    );
  }
  const memoryJson = memories.find((m) => m.index === memory)!;
  const emptyText = emptyMapText(memoryJson, image, report.passiveSegments);
  const mapLabel = showRuntime
    ? `Memory ${memory} pages after step ${steps.length} (${lastStep!.step}${lastStep!.export ? ` ${displayText(lastStep!.export)}` : ""})`
    : `Memory ${memory} pages of the static image layer`;
  return (
    <section aria-label="Page map" className="page-map-view">
      <div className="page-map-view-controls">
        {memories.length > 1 && (
          <div>
            <VscodeLabel htmlFor="page-map-memory">Memory</VscodeLabel>
            <VscodeSingleSelect
              id="page-map-memory"
              value={String(memory)}
              onChange={(event) =>
                select({
                  memory: Number((event.target as HTMLSelectElement).value),
                  page: null,
                })
              }
            >
              {memories.map((m) => (
                <VscodeOption key={m.index} value={String(m.index)}>
                  {`Memory ${m.index}${m.name ? ` "${displayText(m.name)}"` : ""}`}
                </VscodeOption>
              ))}
            </VscodeSingleSelect>
          </div>
        )}
        {steps.length > 0 && (
          <VscodeCheckbox
            checked={showRuntime}
            disabled={!runtime}
            onChange={(event) =>
              setSource((event.target as HTMLInputElement).checked ? "runtime" : "layer")
            }
          >
            {`Show runtime page states after step ${steps.length} (${lastStep!.step})`}
          </VscodeCheckbox>
        )}
        {dirtied && <p data-field="dirtied">{displayText(dirtiedText(dirtied))}</p>}
        {steps.length > 0 && !runtime && (
          <p className="notice" role="note">
            The latest step recorded no page states for memory {memory}.
          </p>
        )}
      </div>
      {!pages ? (
        <p className="notice" role="note">
          No page layer for memory {memory}.
        </p>
      ) : (
        <>
          {!showRuntime && emptyText && (
            <p className="notice" role="note" data-field="empty-map">
              {displayText(emptyText)}
            </p>
          )}
          {!showRuntime && image && !image.static && image.length !== null && image.length > 0 && (
            <p className="notice" role="note">
              Wasmtime builds no copy-on-write image for memory {memory}
              {image.explanation ? ` (${image.explanation})` : ""}: the image pages below show what
              the image would cover.
            </p>
          )}
          {!showRuntime && layer && layer.totalPages > layer.pages.length && (
            <p className="notice" role="note">
              Showing the first {layer.pages.length.toLocaleString("en-US")} of{" "}
              {layer.totalPages.toLocaleString("en-US")} pages.
            </p>
          )}
          <PageMap
            label={mapLabel}
            palette={showRuntime ? "runtime" : "layer"}
            pages={pages}
            pageSize={pageSize}
            highlight={highlight}
            highlightMeaning="The selected segment's pages"
            selectedPage={
              selectedPage !== null && selectedPage < pages.length ? selectedPage : null
            }
            onSelectPage={onSelectPage}
            describePage={describePage}
          />
          {selectedPage !== null && selectedPage < pages.length && (
            <PageBytes
              side={data.side}
              memory={memory}
              page={selectedPage}
              pageSize={pageSize}
              pages={pages.length}
              liveInstance={run?.liveInstance ?? null}
              liveVersion={steps.length}
            />
          )}
        </>
      )}
    </section>
  );
}

interface PageBytesProps {
  side: ViewProps["data"]["side"];
  memory: number;
  page: number;
  pageSize: number;
  pages: number;
  liveInstance: number | null;
  liveVersion: number;
}

function PageBytes(props: PageBytesProps): ReactElement {
  const { memory, page, pageSize, liveInstance } = props;
  const live = liveInstance !== null;
  const bytes = usePageBytes({
    side: props.side,
    memory,
    address: page * pageSize,
    length: pageSize,
    live,
    liveVersion: props.liveVersion,
  });
  const title = `Page ${page} of memory ${memory} (${pageRange(page, pageSize, props.pages)})`;
  const liveNote = !live
    ? "No live instance: instantiate one in the Instantiation tab to compare its bytes."
    : bytes.liveError;
  return (
    <section className="page-map-page" aria-label={title}>
      <h2>{title}</h2>
      <HexView
        label={`Bytes of page ${page} of memory ${memory}`}
        baseAddress={page * pageSize}
        bytes={bytes.image}
        compareBytes={liveNote ? undefined : bytes.live}
        titles={["image", live ? `live instance ${liveInstance}` : "live instance"]}
        unavailable={bytes.imageError ?? (bytes.image ? liveNote : null)}
      />
    </section>
  );
}
