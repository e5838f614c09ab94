// Chart colours from the VS Code theme (its --vscode-charts-* variables), read when a
// chart is drawn, so every theme, high contrast included, gets its own palette.

const SERIES_VARIABLES = [
  "--vscode-charts-blue",
  "--vscode-charts-orange",
  "--vscode-charts-green",
  "--vscode-charts-purple",
  "--vscode-charts-red",
  "--vscode-charts-yellow",
];

/** What a theme without the variable falls back to (the Dark+ palette). */
const FALLBACKS = ["#3794ff", "#d18616", "#89d185", "#b180d7", "#f14c4c", "#cca700"];

export interface ChartTheme {
  foreground: string;
  grid: string;
  series: string[];
}

function variable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function chartTheme(element: Element = document.body): ChartTheme {
  const style = getComputedStyle(element);
  return {
    foreground: variable(style, "--vscode-foreground", "#cccccc"),
    grid: variable(style, "--vscode-panel-border", "rgba(128, 128, 128, 0.35)"),
    series: SERIES_VARIABLES.map((name, i) => variable(style, name, FALLBACKS[i]!)),
  };
}
