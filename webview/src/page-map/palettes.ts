// What each page value means in each palette: a name, a label, a theme colour and a fill
// pattern, so states differ by shape as well as by colour (high-contrast themes, colour
// blindness).

import { LAYER_IMAGE_DATA, LAYER_IMAGE_ZERO, LAYER_OUTSIDE } from "../../../common/layer-values";
import { PAGE_STATES } from "../../../common/page-states";
import type { PageMapPalette } from "./page-map-props";

/** How a cell is filled when it is large enough to show a pattern. */
export type FillPattern =
  "empty" | "solid" | "outline" | "hatched" | "dotted" | "cross" | "columns";

/** A colour: a `--vscode-*` variable and what to use where the theme does not set it. */
export interface ThemeColor {
  variable: string;
  fallback: string;
}

export interface PageStateStyle {
  value: number;
  name: string;
  label: string;
  /** One line for the legend's tooltip and the screen reader. */
  description: string;
  color: ThemeColor | "faint";
  pattern: FillPattern;
}

const color = (name: string, fallback: string): ThemeColor => ({
  variable: `--vscode-charts-${name}`,
  fallback,
});

const LAYER_STATES: PageStateStyle[] = [
  {
    value: LAYER_OUTSIDE,
    name: "outside",
    label: "Outside the image",
    description: "starts as zero pages of the anonymous mapping",
    color: "faint",
    pattern: "empty",
  },
  {
    value: LAYER_IMAGE_ZERO,
    name: "imageZero",
    label: "Image, zero page",
    description: "covered by the image, all bytes zero",
    color: color("blue", "#3794ff"),
    pattern: "outline",
  },
  {
    value: LAYER_IMAGE_DATA,
    name: "imageData",
    label: "Image, data page",
    description: "covered by the image, holds data",
    color: color("green", "#89d185"),
    pattern: "solid",
  },
];

const RUNTIME_STYLE: Record<
  (typeof PAGE_STATES)[number],
  Omit<PageStateStyle, "value" | "name">
> = {
  notPresent: {
    label: "Not present",
    description: "never touched: no memory behind it",
    color: "faint",
    pattern: "empty",
  },
  zero: {
    label: "Shared zero page",
    description: "read but never written: the kernel's zero page",
    color: color("blue", "#3794ff"),
    pattern: "outline",
  },
  imageClean: {
    label: "Image, shared",
    description: "the image's page, still shared copy-on-write",
    color: color("green", "#89d185"),
    pattern: "solid",
  },
  imageDirty: {
    label: "Image, copied",
    description: "an image page written to: a private copy",
    color: color("yellow", "#cca700"),
    pattern: "hatched",
  },
  anonDirty: {
    label: "Anonymous, written",
    description: "a private page outside the image",
    color: color("red", "#f14c4c"),
    pattern: "cross",
  },
  swapped: {
    label: "Swapped out",
    description: "written, then moved to swap",
    color: color("purple", "#b180d7"),
    pattern: "dotted",
  },
};

const RUNTIME_STATES: PageStateStyle[] = PAGE_STATES.map((name, value) => ({
  value,
  name,
  ...RUNTIME_STYLE[name],
}));

export function paletteStates(palette: PageMapPalette): readonly PageStateStyle[] {
  return palette === "layer" ? LAYER_STATES : RUNTIME_STATES;
}

/** A value no palette knows (a newer runner?): drawn in the error colour, solid. */
export const UNKNOWN_STATE: Omit<PageStateStyle, "value"> = {
  name: "unknown",
  label: "Unknown value",
  description: "a value this view does not know",
  color: { variable: "--vscode-editorError-foreground", fallback: "#f14c4c" },
  pattern: "columns",
};

export const PATTERN_NAMES: Record<FillPattern, string> = {
  empty: "plain",
  solid: "solid",
  outline: "outlined",
  hatched: "hatched",
  dotted: "dotted",
  cross: "cross-hatched",
  columns: "striped",
};

export function stateLabel(palette: PageMapPalette, value: number): string {
  return paletteStates(palette)[value]?.label ?? `${UNKNOWN_STATE.label} ${value}`;
}
