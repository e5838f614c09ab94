// Two modules' memory layouts side by side: per memory both page maps on one address
// axis with the differing pages marked, the image figures with their deltas, the segment
// changes and the differing page ranges, and Next/Previous through every difference in
// address order. The diff itself (common/layout-diff.ts) is computed by the host's
// analysis worker and arrives packed (common/packed-diff.ts): only the rows on screen
// are rebuilt, so a 100,000-segment pair costs what a small one does.

import { VscodeOption, VscodeSingleSelect } from "@vscode-elements/react-elements";
import { useCallback, useEffect, useMemo, type ReactElement } from "react";
import { usePersistentState } from "../vscode-api";
import { differenceAt, memoryAt, type PackedDiff } from "../../../common/packed-diff";
import type { Difference } from "../../../common/layout-diff";
import "../styles/compare.css";
import { ComparedMaps } from "./compare/ComparedMaps";
import { CompareSummary } from "./compare/CompareSummary";
import { DifferenceNav } from "./compare/DifferenceNav";
import { PageRangeList } from "./compare/PageRangeList";
import { SegmentChanges } from "./compare/SegmentChanges";
import type { ReportData } from "./view-props";
import { displayMultiline, displayText } from "../../../common/display-text";

/** A side as the app shell keeps it: the analysed module, or why it could not be. */
export type CompareSide = { data: ReportData } | { error: string; fileName: string };

/** The diff of the two sides as the host computed it, or why it could not. */
export type CompareDiff = { diff: PackedDiff } | { error: string };

export interface CompareViewProps {
  left?: CompareSide;
  right?: CompareSide;
  /** Absent until the host has diffed the current pair. */
  diff?: CompareDiff;
}

export function CompareView({ left, right, diff }: CompareViewProps): ReactElement {
  if (left && right && "data" in left && "data" in right) {
    const title = (
      <h2>
        {left.data.fileName} ↔ {right.data.fileName}
      </h2>
    );
    if (!diff) {
      return (
        <section className="compare" aria-label="Compare memory layouts">
          {title}
          <p role="status">Comparing the two layouts…</p>
        </section>
      );
    }
    if ("error" in diff) {
      return (
        <section className="compare" aria-label="Compare memory layouts">
          {title}
          <div className="error-banner" role="alert">
            These modules cannot be compared: {displayText(diff.error)}
          </div>
        </section>
      );
    }
    return <DiffView diff={diff.diff} left={left.data} right={right.data} title={title} />;
  }
  return (
    <section className="compare" aria-label="Compare memory layouts">
      <h2>Compare memory layouts</h2>
      <SideStatus side="left" state={left} />
      <SideStatus side="right" state={right} />
      {((left && "error" in left) || (right && "error" in right)) && (
        <p>The comparison needs both modules to decode.</p>
      )}
    </section>
  );
}

function SideStatus({ side, state }: { side: string; state?: CompareSide }): ReactElement {
  if (!state) {
    return (
      <p role="status" data-side={side}>
        Analysing the {side} module…
      </p>
    );
  }
  if ("error" in state) {
    return (
      <div className="error-banner" role="alert" data-side={side}>
        <strong>{displayText(state.fileName)}</strong> ({side}) could not be read:{" "}
        {displayMultiline(state.error)}
      </div>
    );
  }
  return (
    <p data-side={side}>
      <strong>{state.data.fileName}</strong> ({side}) is ready.
    </p>
  );
}

function DiffView({
  diff,
  left,
  right,
  title,
}: {
  diff: PackedDiff;
  left: ReportData;
  right: ReportData;
  title: ReactElement;
}): ReactElement {
  const [memoryIndex, setMemoryIndex] = usePersistentState("compare.memory", 0);
  const [selected, setSelected] = usePersistentState<number | null>("compare.difference", null);
  const [page, setPage] = usePersistentState<number | null>("compare.page", null);
  // The navigation survives hiding and reloading the tab, but a different pair of
  // modules (or page size) starts it over.
  const pair = `${left.report.sha256}:${right.report.sha256}:${left.report.plan.pageSize}`;
  const [comparedPair, setComparedPair] = usePersistentState<string | null>("compare.pair", null);
  useEffect(() => {
    if (comparedPair === pair) return;
    setComparedPair(pair);
    setMemoryIndex(0);
    setSelected(null);
    setPage(null);
  }, [pair, comparedPair, setComparedPair, setMemoryIndex, setSelected, setPage]);
  const memoryNumber = diff.memories[memoryIndex] ? memoryIndex : 0;
  const memory = useMemo(
    () => (diff.memories[memoryNumber] ? memoryAt(diff, memoryNumber) : null),
    [diff, memoryNumber],
  );
  const count = diff.differences.count;

  const select = useCallback(
    (index: number) => {
      if (index < 0 || index >= count) return;
      const difference = differenceAt(diff, index);
      setSelected(index);
      setMemoryIndex(difference.memory);
      setPage(difference.firstPage);
    },
    [diff, count],
  );
  const current = useMemo(
    () => (selected === null || selected >= count ? null : differenceAt(diff, selected)),
    [diff, selected, count],
  );
  const highlight = useMemo(
    () => (current ? ([current.firstPage, current.endPage] as const) : null),
    [current],
  );
  // The row of the selected difference in its list, so the list can scroll to it.
  const selectedRow = (kind: Difference["kind"], inMemory: number | null): number | null =>
    current?.kind === kind && (inMemory === null || current.memory === inMemory)
      ? diff.differences.row[selected!]!
      : null;
  const layerOf = (data: ReportData) =>
    data.layers.find((layer) => layer.memory === memory?.memory) ?? null;

  return (
    <section className="compare" aria-label="Compare memory layouts">
      {title}
      <DifferenceNav count={count} selected={selected} current={current} onSelect={select} />
      {diff.memories.length > 1 && (
        <VscodeSingleSelect
          label="Memory"
          aria-label="Memory"
          className="compare-memory"
          value={String(memoryIndex)}
          onChange={(event) => setMemoryIndex(Number((event.target as HTMLInputElement).value))}
        >
          {diff.memories.map((m) => (
            <VscodeOption key={m.memory} value={String(m.memory)}>
              Memory {m.memory}
            </VscodeOption>
          ))}
        </VscodeSingleSelect>
      )}
      {memory ? (
        <>
          <CompareSummary
            memory={memory}
            leftName={left.fileName}
            rightName={right.fileName}
            selected={current?.kind === "image" && current.memory === memory.memory}
          />
          <ComparedMaps
            diff={diff}
            memory={memory.memory}
            left={{ fileName: left.fileName, layer: layerOf(left) }}
            right={{ fileName: right.fileName, layer: layerOf(right) }}
            highlight={current?.memory === memory.memory ? highlight : null}
            selectedPage={page}
            onSelectPage={setPage}
          />
          <PageRangeList
            diff={diff}
            memory={memory.memory}
            selectedRow={selectedRow("pages", memory.memory)}
            onSelect={select}
          />
        </>
      ) : (
        <p>Neither module has a memory.</p>
      )}
      <SegmentChanges
        diff={diff}
        selectedRow={selectedRow("segment", null)}
        selected={selected}
        onSelect={select}
      />
    </section>
  );
}
