// Two modules' memory layouts side by side: per memory both page maps on one address
// axis with the differing pages marked, the image figures with their deltas, the segment
// changes and the differing page ranges, and Next/Previous through every difference in
// address order. The diff itself is extension/analysis/layout-diff.ts.

import { VscodeOption, VscodeSingleSelect } from "@vscode-elements/react-elements";
import { useCallback, useEffect, useMemo, type ReactElement } from "react";
import { usePersistentState } from "../vscode-api";
import {
  diffLayouts,
  type LayoutDiff,
  type PageRangeDiff,
  type SegmentChange,
} from "../../../common/layout-diff";
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

export interface CompareViewProps {
  left?: CompareSide;
  right?: CompareSide;
}

export function CompareView({ left, right }: CompareViewProps): ReactElement {
  if (left && right && "data" in left && "data" in right) {
    return (
      <Comparison
        left={left.data}
        right={right.data}
        leftHashes={left.data.pageHashes}
        rightHashes={right.data.pageHashes}
      />
    );
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

interface ComparisonProps {
  left: ReportData;
  right: ReportData;
  leftHashes: Uint32Array[] | null;
  rightHashes: Uint32Array[] | null;
}

function Comparison({ left, right, leftHashes, rightHashes }: ComparisonProps): ReactElement {
  const result = useMemo((): LayoutDiff | Error => {
    try {
      return diffLayouts(
        { report: left.report, layers: left.layers, pageHashes: leftHashes },
        { report: right.report, layers: right.layers, pageHashes: rightHashes },
      );
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }, [left, right, leftHashes, rightHashes]);
  const title = (
    <h2>
      {left.fileName} ↔ {right.fileName}
    </h2>
  );
  if (result instanceof Error) {
    return (
      <section className="compare" aria-label="Compare memory layouts">
        {title}
        <div className="error-banner" role="alert">
          These modules cannot be compared: {displayText(result.message)}
        </div>
      </section>
    );
  }
  return <DiffView diff={result} left={left} right={right} title={title} />;
}

function DiffView({
  diff,
  left,
  right,
  title,
}: {
  diff: LayoutDiff;
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
  const memory = diff.memories[memoryIndex] ?? diff.memories[0];
  const differences = diff.differences;

  const links = useMemo(() => {
    const segments = new Map<SegmentChange, number>();
    const ranges = new Map<PageRangeDiff, number>();
    differences.forEach((d, index) => {
      if (d.segmentChange) segments.set(d.segmentChange, index);
      if (d.pageRange) ranges.set(d.pageRange, index);
    });
    return { segments, ranges };
  }, [differences]);

  const select = useCallback(
    (index: number) => {
      const difference = differences[index];
      if (!difference) return;
      setSelected(index);
      setMemoryIndex(difference.memory);
      setPage(difference.firstPage);
    },
    [differences],
  );
  const current = selected === null ? null : (differences[selected] ?? null);
  const highlight = useMemo(
    () => (current ? ([current.firstPage, current.endPage] as const) : null),
    [current],
  );
  const layerOf = (data: ReportData) =>
    data.layers.find((layer) => layer.memory === memory?.memory) ?? null;

  return (
    <section className="compare" aria-label="Compare memory layouts">
      {title}
      <DifferenceNav differences={differences} selected={selected} onSelect={select} />
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
            memory={memory}
            left={{ fileName: left.fileName, layer: layerOf(left) }}
            right={{ fileName: right.fileName, layer: layerOf(right) }}
            highlight={current?.memory === memory.memory ? highlight : null}
            selectedPage={page}
            onSelectPage={setPage}
          />
          <PageRangeList
            memory={memory}
            differenceOf={links.ranges}
            selected={selected}
            onSelect={select}
          />
        </>
      ) : (
        <p>Neither module has a memory.</p>
      )}
      <SegmentChanges
        changes={diff.segments}
        unchanged={diff.unchangedSegments}
        differenceOf={links.segments}
        selected={selected}
        onSelect={select}
      />
    </section>
  );
}
