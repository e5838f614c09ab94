// Every page of a memory on a canvas (up to 1,048,576): cells painted through ImageData,
// decorations and rings with the 2D context, zoom and pan by wheel, drag, keys and
// buttons, a legend with counts and patterns, and a text line plus a live region that
// say what the hovered or focused page is.

import { formatBytes } from "../../../common/format";
import { VscodeButton } from "@vscode-elements/react-elements";
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from "react";
import "../styles/page-map.css";
import { countValues } from "./count-values";
import {
  fitZoom,
  layoutGrid,
  scrollToCentre,
  rowsPerView,
  scrollToShow,
  visibleRows,
  zoomStep,
  ZOOM_STEPS,
  type GridLayout,
} from "./grid-layout";
import { movePage } from "./page-keys";
import type { PageMapProps } from "./page-map-props";
import { describePageFacts } from "./page-text";
import { paintCells } from "./paint-cells";
import { paintGutter, paintHighlights, paintOverlay } from "./paint-decorations";
import { paletteStates } from "./palettes";
import { PageMapLegend } from "./PageMapLegend";
import { readMapTheme, useThemeVersion, type MapTheme } from "./theme-colors";
import { useElementSize } from "./use-element-size";
import { useMapPointer } from "./use-map-pointer";
import { pageOfInterest, stepToTarget, targetName } from "./page-of-interest";
import { zoomAnchored } from "./zoom-anchor";
import { Minimap } from "./Minimap";

export function PageMap(props: PageMapProps): ReactElement {
  const { label, palette, pages, pageSize, marked, selectedPage, onSelectPage } = props;
  // A parent may pass equal ranges in a new array on every render: repaint on a change.
  const highlightKey = props.highlight?.map(([first, end]) => `${first}-${end}`).join(",") ?? "";
  const highlight = useMemo(() => props.highlight, [highlightKey]); // keyed on the values
  const wrapperRef = useRef<HTMLDivElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const imageRef = useRef<ImageData | null>(null);
  const paints = useRef(0);
  const helpId = useId();
  const infoId = useId();

  const size = useElementSize(areaRef);
  const themeVersion = useThemeVersion();
  const [theme, setTheme] = useState<MapTheme | null>(null);
  useLayoutEffect(() => {
    if (areaRef.current) setTheme(readMapTheme(areaRef.current));
  }, [themeVersion]);

  // Zoom is the parent's when it passes both zoom and onZoom (e.g. two maps at one
  // scale); else it is kept here, null meaning "fit" (which follows resizes).
  const controlled = props.zoom !== undefined && props.onZoom !== undefined;
  const [ownZoom, setOwnZoom] = useState<number | null>(props.zoom ?? null);
  const zoomChoice = controlled ? props.zoom! : ownZoom;
  const dpr = window.devicePixelRatio || 1;
  const [scroll, setScroll] = useState(0);
  const layout = useMemo(() => {
    const view = { pages: pages.length, cssWidth: size.width, cssHeight: size.height, dpr };
    return layoutGrid({ ...view, zoom: zoomChoice ?? fitZoom(view), scroll });
  }, [pages.length, size.width, size.height, dpr, zoomChoice, scroll]);
  const layoutRef = useRef<GridLayout>(layout);
  layoutRef.current = layout;
  const zoom = Math.round(layout.cell / dpr);

  const counts = useMemo(() => countValues(pages), [pages]);
  // Every marking drawn has its legend entry: the corner marks with their count, the
  // outline with its meaning.
  const legendMarks = useMemo(() => {
    let count = 0;
    if (marked) for (let page = 0; page < pages.length; page++) count += marked[page] ? 1 : 0;
    return {
      marked: marked ? { label: props.markedMeaning ?? "Marked", count } : null,
      outlined: props.highlight?.length ? (props.highlightMeaning ?? "Outlined") : null,
    };
  }, [marked, pages.length, props.markedMeaning, props.highlight, props.highlightMeaning]);
  const [focus, setFocus] = useState<number | null>(selectedPage);
  const [hasFocus, setHasFocus] = useState(false);
  const [hover, setHover] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const focusPage = focus !== null && focus < pages.length ? focus : null;
  const hoverPage = hover !== null && hover < pages.length ? hover : null;

  const { describePage } = props;
  const describe = useCallback(
    (page: number) =>
      describePageFacts({
        page,
        pages: pages.length,
        pageSize,
        palette,
        value: pages[page]!,
        marked: Boolean(marked?.[page]),
        extra: describePage?.(page) ?? "",
      }),
    [pages, pageSize, palette, marked, describePage],
  );

  // Bring the selected page and the first highlighted range into view when they change;
  // with nothing selected, the page that matters (the image's start, a step's first write).
  const interest = useMemo(() => pageOfInterest(pages, palette), [pages, palette]);
  const [reveal, setReveal] = useState<number | null>(selectedPage ?? interest);
  useEffect(() => {
    if (selectedPage === null && interest !== null) setReveal(interest);
  }, [interest]); // not on a cleared selection: the view stays where the user left it
  useEffect(() => {
    if (selectedPage !== null && selectedPage < pages.length) {
      setFocus(selectedPage);
      setReveal(selectedPage);
    }
  }, [selectedPage, pages.length]);
  const highlightStart = highlight?.[0]?.[0] ?? null;
  useEffect(() => {
    if (highlightStart !== null) setReveal(highlightStart);
  }, [highlightStart]);
  useLayoutEffect(() => {
    if (reveal === null || size.width === 0 || reveal >= pages.length) return;
    setScroll(scrollToShow(layout, reveal));
    setReveal(null);
  }, [reveal, layout, size.width, pages.length]);

  const zoomTo = zoomAnchored({
    layoutRef,
    pages: pages.length,
    size,
    dpr,
    setScroll,
    setZoom: (next, resolved) => {
      if (!controlled) setOwnZoom(next);
      props.onZoom?.(resolved);
    },
  });

  const pointer = useMapPointer({
    canvasRef: overlayRef,
    layoutRef,
    setScroll,
    setHover,
    zoomBy: (direction, at) => zoomTo(zoomStep(zoom, direction), at, focusPage),
    onClick: (page) => {
      setFocus(page);
      onSelectPage(page);
    },
  });

  // The cells, row labels and highlights: redrawn when the data, the view or the theme
  // change, never on hover.
  useLayoutEffect(() => {
    const canvas = baseRef.current;
    const wrapper = wrapperRef.current;
    if (!canvas || !wrapper || !theme || size.width === 0) return;
    const started = performance.now();
    if (canvas.width !== layout.width) canvas.width = layout.width;
    if (canvas.height !== layout.height) canvas.height = layout.height;
    const context = canvas.getContext("2d", { alpha: false });
    if (!context) return;
    let image = imageRef.current;
    if (!image || image.width !== layout.width || image.height !== layout.height) {
      image = imageRef.current = context.createImageData(layout.width, layout.height);
    }
    paintCells(image, layout, pages, marked, palette, theme);
    context.putImageData(image, 0, 0);
    paintGutter(context, layout, theme, pageSize, pages.length * pageSize);
    if (highlight?.length) paintHighlights(context, layout, theme, highlight);
    // For tests and the bench: which paint this is and what it cost.
    paints.current++;
    wrapper.dataset.painted = String(paints.current);
    wrapper.dataset.paintMs = (performance.now() - started).toFixed(2);
    performance.mark("page-map-painted", { detail: { pages: pages.length } });
  }, [layout, pages, marked, palette, theme, highlight, pageSize, size.width]);

  useLayoutEffect(() => {
    const canvas = overlayRef.current;
    if (!canvas || !theme || size.width === 0) return;
    if (canvas.width !== layout.width) canvas.width = layout.width;
    if (canvas.height !== layout.height) canvas.height = layout.height;
    const context = canvas.getContext("2d");
    if (!context) return;
    const selected = selectedPage !== null && selectedPage < pages.length ? selectedPage : null;
    paintOverlay(context, layout, theme, {
      hover: hoverPage,
      focus: focusPage,
      selected,
      focused: hasFocus,
    });
  }, [layout, theme, hoverPage, focusPage, selectedPage, hasFocus, pages.length, size.width]);

  const [firstRow, endRow] = visibleRows(layout);
  const shown = useMemo(
    () => [firstRow * layout.columns, endRow * layout.columns] as const,
    [firstRow, endRow, layout.columns],
  );
  const firstVisible = (): number => shown[0];
  const moveFocus = (page: number): void => {
    setFocus(page);
    setScroll(scrollToShow(layout, page));
    setAnnouncement(describe(page));
  };

  const jumpTo = (page: number): void => {
    setFocus(page);
    setScroll(scrollToCentre(layout, page));
    setAnnouncement(describe(page));
  };

  // Next/previous written (or differing, or data) page from the focus, or from the top of
  // the view; a step with none to go to says so.
  const target = targetName(palette, marked ?? null);
  const stepTo = (direction: 1 | -1): void => {
    const from = focusPage ?? (direction === 1 ? firstVisible() - 1 : firstVisible());
    const next = stepToTarget(pages, palette, marked ?? null, from, direction);
    if (next === null) setAnnouncement(`No ${direction === 1 ? "next" : "previous"} ${target}.`);
    else moveFocus(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (pages.length === 0) return;
    const current = focusPage ?? firstVisible();
    const key = event.key;
    if (key === "n" || key === "p") {
      event.preventDefault();
      stepTo(key === "n" ? 1 : -1);
      return;
    }
    if (key === "Enter" || key === " ") {
      event.preventDefault();
      moveFocus(current);
      onSelectPage(current);
      setAnnouncement(`Selected: ${describe(current)}`);
      return;
    }
    if (key === "+" || key === "=" || key === "-" || key === "_" || key === "0") {
      event.preventDefault();
      if (key === "0") zoomTo(null, null, current);
      else zoomTo(zoomStep(zoom, key === "+" || key === "=" ? 1 : -1), null, current);
      return;
    }
    const next = movePage(key, event.ctrlKey || event.metaKey, current, {
      pages: pages.length,
      columns: layout.columns,
      rowsPerView: rowsPerView(layout),
    });
    if (next === null) return;
    event.preventDefault();
    moveFocus(next);
  };

  const onFocus = (): void => {
    setHasFocus(true);
    if (pages.length === 0) return;
    const page = focusPage ?? firstVisible();
    setFocus(page);
    setAnnouncement(describe(page));
  };

  const infoPage = hoverPage ?? focusPage;
  const summary = useMemo(() => stateSummary(palette, counts), [palette, counts]);
  const rowBytes = layout.columns * pageSize;

  return (
    <div className="page-map">
      <div className="page-map-toolbar" role="group" aria-label="Zoom and navigation">
        <VscodeButton
          secondary
          aria-label="Zoom out"
          disabled={zoom <= ZOOM_STEPS[0]}
          onClick={() => zoomTo(zoomStep(zoom, -1), null, focusPage)}
        >
          Zoom out
        </VscodeButton>
        <VscodeButton
          secondary
          aria-label="Zoom in"
          disabled={zoom >= ZOOM_STEPS[ZOOM_STEPS.length - 1]!}
          onClick={() => zoomTo(zoomStep(zoom, 1), null, focusPage)}
        >
          Zoom in
        </VscodeButton>
        <VscodeButton
          secondary
          aria-label="Fit the map"
          onClick={() => zoomTo(null, null, focusPage)}
        >
          Fit
        </VscodeButton>
        <VscodeButton
          secondary
          data-page-step="previous"
          aria-label={`Previous ${target}`}
          onClick={() => stepTo(-1)}
        >
          Previous {target}
        </VscodeButton>
        <VscodeButton
          secondary
          data-page-step="next"
          aria-label={`Next ${target}`}
          onClick={() => stepTo(1)}
        >
          Next {target}
        </VscodeButton>
        <span className="page-map-scale" data-field="scale">
          {layout.columns.toLocaleString("en-US")} pages per row ({formatBytes(rowBytes)}), {zoom}{" "}
          px cells
        </span>
      </div>
      <Minimap
        pages={pages}
        pageSize={pageSize}
        palette={palette}
        marked={marked ?? null}
        highlight={highlight}
        theme={theme}
        shown={shown}
        onJump={jumpTo}
      />
      <div
        ref={wrapperRef}
        className="page-map-frame"
        role="application"
        aria-roledescription="page map"
        aria-label={label}
        aria-describedby={`${helpId} ${infoId}`}
        tabIndex={0}
        data-pages={pages.length}
        data-columns={layout.columns}
        data-cell={layout.cell}
        data-gutter={layout.gutter}
        data-scroll={layout.scroll}
        data-dpr={dpr}
        data-focus={focusPage ?? ""}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={() => setHasFocus(false)}
      >
        <div ref={areaRef} className="page-map-area">
          <canvas
            ref={baseRef}
            className="page-map-canvas"
            role="img"
            aria-label={`${label}: ${pages.length.toLocaleString("en-US")} pages of ${pageSize} bytes; ${summary}`}
          />
          <canvas
            ref={overlayRef}
            className="page-map-canvas page-map-overlay"
            aria-hidden="true"
            {...pointer}
          />
        </div>
      </div>
      <p id={infoId} className="page-map-info" data-page={infoPage ?? ""}>
        {infoPage === null ? "Hover or focus a page to see what it holds." : describe(infoPage)}
      </p>
      <p id={helpId} className="page-map-help">
        Keys: arrows move between pages, Home/End to the ends of the row, Ctrl+Home/End to the
        first/last page, Page Up/Down by a screen, N and P to the next and previous {target}, Enter
        selects; + and − zoom, 0 fits. Mouse: wheel or drag scrolls, Ctrl+wheel zooms, click
        selects. The strip above the map is the whole memory to scale: ticks above it mark differing
        pages, the line below it the selected segment, the frame what the map shows; click or drag
        on it to go there.
      </p>
      <div className="page-map-sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      {props.legend !== false && (
        <PageMapLegend palette={palette} counts={counts} theme={theme} marks={legendMarks} />
      )}
    </div>
  );
}

function stateSummary(palette: PageMapProps["palette"], counts: Uint32Array): string {
  const parts = paletteStates(palette)
    .filter((state) => counts[state.value])
    .map((state) => `${counts[state.value]!.toLocaleString("en-US")} ${state.label.toLowerCase()}`);
  return parts.join(", ") || "no pages";
}
