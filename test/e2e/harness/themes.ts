// The three built-in themes the screenshots are taken in, and how the workbench and the
// webview show that each one is applied.

export interface Theme {
  /** File-name prefix of the screenshots (test-results/screenshots/<id>-<view>.png). */
  id: "light" | "dark" | "high-contrast";
  /** The `workbench.colorTheme` setting. */
  colorTheme: string;
  /** The classes `.monaco-workbench` gets once the theme is applied (its base, its file). */
  workbenchClasses: string[];
  /** The class VS Code puts on the webview's <body>. */
  webviewClass: string;
}

export const THEMES: readonly Theme[] = [
  {
    id: "light",
    colorTheme: "Default Light Modern",
    workbenchClasses: ["vs", "vscode-theme-defaults-themes-light_modern-json"],
    webviewClass: "vscode-light",
  },
  {
    id: "dark",
    colorTheme: "Default Dark Modern",
    workbenchClasses: ["vs-dark", "vscode-theme-defaults-themes-dark_modern-json"],
    webviewClass: "vscode-dark",
  },
  {
    id: "high-contrast",
    colorTheme: "Default High Contrast",
    workbenchClasses: ["hc-black", "vscode-theme-defaults-themes-hc_black-json"],
    webviewClass: "vscode-high-contrast",
  },
];

/** The views captured in every theme. */
export const SCREENSHOT_VIEWS = [
  "overview",
  "page-map",
  "stepper",
  "strategies",
  "compare",
] as const;
export type ScreenshotView = (typeof SCREENSHOT_VIEWS)[number];

/** test-results/-relative name of one screenshot (without .png). */
export function screenshotName(theme: Theme["id"], view: ScreenshotView): string {
  return `screenshots/${theme}-${view}`;
}

/** The size of the browser window for screenshots (the editor is cropped out of it). */
export const SCREENSHOT_VIEWPORT = { width: 1280, height: 800 };
