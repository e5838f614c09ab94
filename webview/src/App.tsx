// The webview's shell: receives the host's messages, keeps the app state, persists the
// view state, and shows the inspector's tabs (or the compare view).

import {
  VscodeButton,
  VscodeProgressRing,
  VscodeTabHeader,
  VscodeTabPanel,
  VscodeTabs,
} from "@vscode-elements/react-elements";
import { useCallback, useEffect, useMemo, useState, type ReactElement } from "react";
import type {
  Capabilities,
  HostMessage,
  LabView,
  ReportSide,
  RunView,
  ViewSettings,
} from "../../common/webview-protocol";
import type { ReportJson } from "../../common/report-json";
import { CompareView, type CompareDiff } from "./views/CompareView";
import { ModulePicker } from "./views/ModulePicker";
import { wrapTabHeaders } from "./wrap-tab-headers";
import { OverviewView } from "./views/OverviewView";
import { PageMapView } from "./views/PageMapView";
import { SegmentsView } from "./views/SegmentsView";
import { SlotPoolView } from "./views/SlotPoolView";
import { StepperView } from "./views/StepperView";
import { StrategiesView } from "./views/StrategiesView";
import { enginesOf, offeredChoices, type EngineChoice } from "./views/stepper/engine-choice";
import type { ReportData, Selection, ViewProps } from "./views/view-props";
import { loadState, onHostMessage, post, saveState, usePersistentState } from "./vscode-api";
import type { EngineKind } from "../../common/run-types";
import { displayMultiline, displayText } from "../../common/display-text";

export const TABS = ["overview", "segments", "pages", "stepper", "pool", "strategies"] as const;
export type Tab = (typeof TABS)[number];
const TAB_TITLES: Record<Tab, string> = {
  overview: "Overview",
  segments: "Segments",
  pages: "Page map",
  stepper: "Instantiation",
  pool: "Slot pool",
  strategies: "Strategies",
};

type ReportState = { data: ReportData } | { error: string; fileName: string };

export function App(): ReactElement {
  const persisted = useMemo(() => loadState(), []);
  const [view, setView] = useState<"inspector" | "compare" | null>(null);
  const [capabilities, setCapabilities] = useState<Capabilities | null>(null);
  const [settings, setSettings] = useState<ViewSettings | null>(null);
  const [reports, setReports] = useState<Partial<Record<ReportSide, ReportState>>>({});
  // The compare view's diff: a side's new report makes it stale until the next one.
  const [diff, setDiff] = useState<CompareDiff | undefined>(undefined);
  const [runs, setRuns] = useState<Partial<Record<EngineKind, RunView>>>({});
  const [engineChoice, setEngineChoice] = usePersistentState<EngineChoice>("engine", "v8");
  const [busy, setBusy] = useState<Busy | null>(null);
  const [lab, setLab] = useState<LabView | null>(null);
  const [tab, setTab] = useState<Tab>(
    (TABS as readonly string[]).includes(persisted?.tab ?? "")
      ? (persisted!.tab as Tab)
      : "overview",
  );
  const [selection, setSelection] = useState<Selection>({
    memory: persisted?.memory ?? 0,
    page: persisted?.page ?? null,
    segment: persisted?.segment ?? null,
  });

  useEffect(
    () =>
      onHostMessage((message: HostMessage) => {
        switch (message.type) {
          case "init":
            setView(message.view);
            setCapabilities(message.capabilities);
            setSettings(message.settings);
            break;
          case "report":
            setDiff(undefined);
            setReports((all) => ({
              ...all,
              [message.side]: {
                data: {
                  side: message.side,
                  fileName: message.fileName,
                  report: JSON.parse(message.summaryJson) as ReportJson,
                  segmentCount: message.segmentCount,
                  exportCount: message.exportCount,
                  layers: message.layers,
                  component: message.component ?? null,
                },
              },
            }));
            break;
          case "details": {
            // Parsed once, when the summary is already on screen.
            const dataSegments = JSON.parse(message.segmentsJson) as ReportJson["dataSegments"];
            const exports = JSON.parse(message.exportsJson) as ReportJson["exports"];
            setReports((all) => {
              const state = all[message.side];
              if (!state || !("data" in state)) return all;
              const report = { ...state.data.report, dataSegments, exports };
              const data = { ...state.data, report };
              return { ...all, [message.side]: { data } };
            });
            break;
          }
          case "reportError":
            setDiff(undefined);
            setReports((all) => ({
              ...all,
              [message.side]: { error: message.message, fileName: message.fileName },
            }));
            break;
          case "diff":
            setDiff({ diff: message.diff });
            break;
          case "diffError":
            setDiff({ error: message.message });
            break;
          case "run":
            setRuns((all) => ({ ...all, [message.run.engine]: message.run }));
            break;
          case "busy":
            setBusy(
              message.what === null ? null : { what: message.what, progress: message.progress },
            );
            break;
          case "lab":
            setLab(message.lab);
            break;
          case "show":
            setTab(message.tab);
            break;
          case "bytes":
            break; // answered in vscode-api.ts
        }
      }),
    [],
  );
  useEffect(() => post({ type: "ready" }), []);
  useEffect(
    () => saveState({ tab, ...selection, zoom: persisted?.zoom ?? 1 }),
    [tab, selection, persisted],
  );

  const select = useCallback(
    (change: Partial<Selection>) => setSelection((current) => ({ ...current, ...change })),
    [],
  );

  // Inside the app's frame (its padding), so the spinner is never cut at the edge.
  if (!view || !capabilities || !settings)
    return (
      <main className="app starting">
        <Loading what="Starting…" />
      </main>
    );
  if (view === "compare") {
    return (
      <main className="app">
        {busy && <Loading {...busy} />}
        {/* A component on either side: its picker says which core module is compared. */}
        {(["left", "right"] as const).map((side) => {
          const report = reports[side];
          return report && "data" in report && report.data.component ? (
            <ModulePicker key={side} component={report.data.component} side={side} compare />
          ) : null;
        })}
        <CompareView left={reports.left} right={reports.right} diff={diff} />
      </main>
    );
  }
  const left = reports.left;
  if (!left)
    return (
      <main className="app starting">
        <Loading {...(busy ?? { what: "Analysing…" })} />
      </main>
    );
  if ("error" in left) {
    return (
      <main className="app">
        <div className="error-banner" role="alert">
          <strong>{displayText(left.fileName)}</strong> could not be read:{" "}
          {displayMultiline(left.error)}
        </div>
      </main>
    );
  }
  // Wasmtime is offered only where its library was found, the imaged variant only for a
  // module without an image; a persisted choice no longer offered falls back to V8.
  const offered = offeredChoices(capabilities, left.data.report, left.data.component);
  const engines = enginesOf(offered.includes(engineChoice) ? engineChoice : (offered[0] ?? "v8"));
  const props: ViewProps = {
    data: left.data,
    capabilities,
    settings,
    run: runs[engines.length === 1 ? engines[0]! : "v8"] ?? null,
    runs,
    engines,
    chooseEngine: setEngineChoice,
    selection,
    select,
    lab,
  };
  return (
    <main className="app">
      {busy && <Loading {...busy} />}
      {!capabilities.execution && !capabilities.pending && (
        <div className="notice" role="status">
          Execution is unavailable: {capabilities.executionUnavailable}
          {capabilities.restricted && (
            <>
              {" "}
              <VscodeButton
                secondary
                data-action="manage-trust"
                onClick={() => post({ type: "manageTrust" })}
              >
                Trust this folder…
              </VscodeButton>
            </>
          )}
        </div>
      )}
      {left.data.component && (
        <ModulePicker component={left.data.component} side={left.data.side} compare={false} />
      )}
      <VscodeTabs
        ref={wrapTabHeaders}
        selectedIndex={TABS.indexOf(tab)}
        onVscTabsSelect={(event) => setTab(TABS[event.detail.selectedIndex] ?? "overview")}
        aria-label="Inspector views"
      >
        {/* No ids of our own: vscode-tabs gives headers and panels its own ids (and links
            them with aria-controls / aria-labelledby) whenever its slots change. */}
        {TABS.map((name) => (
          <VscodeTabHeader key={`${name}-header`} slot="header" data-tab={name}>
            {TAB_TITLES[name]}
          </VscodeTabHeader>
        ))}
        {TABS.map((name) => (
          <VscodeTabPanel key={`${name}-panel`}>
            {tab === name && <TabContent tab={name} props={props} />}
          </VscodeTabPanel>
        ))}
      </VscodeTabs>
    </main>
  );
}

function TabContent({ tab, props }: { tab: Tab; props: ViewProps }): ReactElement {
  switch (tab) {
    case "overview":
      return <OverviewView {...props} />;
    case "segments":
      return <SegmentsView {...props} />;
    case "pages":
      return <PageMapView {...props} />;
    case "stepper":
      return <StepperView {...props} />;
    case "pool":
      return <SlotPoolView {...props} />;
    case "strategies":
      return <StrategiesView {...props} />;
  }
}

interface Busy {
  what: string;
  progress?: { step: number; of: number };
}

/** A spinner while it is unknown how long; a bar of phases once the host counts them. */
function Loading({ what, progress }: Busy): ReactElement {
  return (
    <div className="loading" role="status" aria-live="polite">
      {progress ? (
        <progress max={progress.of} value={progress.step} aria-label={what} />
      ) : (
        <VscodeProgressRing aria-label={what} />
      )}
      <span>{what}</span>
    </div>
  );
}
