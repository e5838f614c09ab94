// Canvas colours from the theme: `--vscode-*` variables read at draw time from the
// computed style, and a version number that changes when VS Code switches theme (it sets
// `vscode-light` / `vscode-dark` / `vscode-high-contrast` on body and the variables on
// the html element's style).

import { useEffect, useState } from "react";
import type { TileColors } from "./cell-tiles";
import { paletteStates, UNKNOWN_STATE, type PageStateStyle, type ThemeColor } from "./palettes";
import type { PageMapPalette } from "./page-map-props";

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface MapTheme {
  /** Packed for ImageData (little-endian RGBA). */
  background: number;
  /** CSS colours for the 2D context. */
  backgroundCss: string;
  foregroundCss: string;
  mutedCss: string;
  focusCss: string;
  highlightCss: string;
  scrollbarCss: string;
  fontFamily: string;
  mark: number;
  /** Tile colours per palette and page value (the last entry is for unknown values). */
  states: Record<PageMapPalette, TileColors[]>;
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour the canvas understands, as RGBA (alpha 0..1); null if it is none. */
export function parseColor(text: string): Rgba | null {
  probe ??= document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  if (!probe || !text) return null;
  probe.fillStyle = "#010203";
  probe.fillStyle = text; // ignored when invalid
  if (probe.fillStyle === "#010203" && text.replace(/\s/g, "") !== "#010203") return null;
  probe.clearRect(0, 0, 1, 1);
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return { r: r!, g: g!, b: b!, a: a! / 255 };
}

export function mix(top: Rgba, bottom: Rgba, amount: number): Rgba {
  const t = top.a * amount;
  const blend = (x: number, y: number): number => Math.round(x * t + y * (1 - t));
  return { r: blend(top.r, bottom.r), g: blend(top.g, bottom.g), b: blend(top.b, bottom.b), a: 1 };
}

export function packColor({ r, g, b }: Rgba): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** The inverse of packColor, as CSS. */
export function packedCss(packed: number): string {
  return `rgb(${packed & 255}, ${(packed >>> 8) & 255}, ${(packed >>> 16) & 255})`;
}

export function cssColor({ r, g, b, a }: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}

function reader(element: Element): (variable: string, fallback: string) => Rgba {
  const style = getComputedStyle(element);
  return (variable, fallback) =>
    parseColor(style.getPropertyValue(variable).trim()) ?? parseColor(fallback)!;
}

/** The theme as the canvas needs it, read now from `element`'s computed style. */
export function readMapTheme(element: Element): MapTheme {
  const read = reader(element);
  const backgroundRgba = read("--vscode-editor-background", "#ffffff");
  const background = { ...backgroundRgba, a: 1 };
  const foreground = mix(read("--vscode-editor-foreground", "#333333"), background, 1);
  const faint = mix(foreground, background, 0.12);
  const tiles = (style: Pick<PageStateStyle, "color">): TileColors => {
    if (style.color === "faint") {
      return {
        ink: packColor(faint),
        wash: packColor(faint),
        background: packColor(background),
        faint: packColor(faint),
      };
    }
    const themed: ThemeColor = style.color;
    const ink = mix(read(themed.variable, themed.fallback), background, 1);
    return {
      ink: packColor(ink),
      wash: packColor(mix(ink, background, 0.35)),
      background: packColor(background),
      faint: packColor(faint),
    };
  };
  const style = getComputedStyle(element);
  return {
    background: packColor(background),
    backgroundCss: cssColor(background),
    foregroundCss: cssColor(foreground),
    mutedCss: cssColor(read("--vscode-descriptionForeground", "#717171")),
    focusCss: cssColor(read("--vscode-focusBorder", "#0090f1")),
    highlightCss: cssColor(read("--vscode-charts-orange", "#d18616")),
    scrollbarCss: cssColor(
      read("--vscode-scrollbarSlider-activeBackground", "rgba(100, 100, 100, 0.7)"),
    ),
    fontFamily: style.getPropertyValue("--vscode-editor-font-family").trim() || "monospace",
    mark: packColor(foreground),
    states: {
      layer: [...paletteStates("layer").map(tiles), tiles(UNKNOWN_STATE)],
      runtime: [...paletteStates("runtime").map(tiles), tiles(UNKNOWN_STATE)],
    },
  };
}

/** Changes whenever the theme does, so canvases re-read their colours. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1));
    observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["class", "style"],
    });
    return () => observer.disconnect();
  }, []);
  return version;
}
