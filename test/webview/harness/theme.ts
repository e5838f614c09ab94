// The `--vscode-*` variables VS Code defines in a webview, for its three default theme
// kinds (values of "Light Modern", "Dark Modern" and "Dark High Contrast"). The webview's
// own CSS and VS Code Elements read these. VS Code puts them on `<html>` and the theme
// kind as a class on `<body>`; here the body class picks the set, so switching the class
// (as VS Code does on a theme change) switches the colours.

export const THEMES = ["light", "dark", "high-contrast"] as const;
export type Theme = (typeof THEMES)[number];

/** The class VS Code puts on `<body>` for each theme kind. */
export const BODY_CLASS: Record<Theme, string> = {
  light: "vscode-light",
  dark: "vscode-dark",
  "high-contrast": "vscode-high-contrast",
};

const COMMON = {
  "font-family": 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  "font-size": "13px",
  "font-weight": "normal",
  "editor-font-family": '"Droid Sans Mono", "monospace", monospace',
  "editor-font-size": "14px",
  "editor-font-weight": "normal",
};

const COLORS: Record<Theme, Record<string, string>> = {
  light: {
    foreground: "#3b3b3b",
    descriptionForeground: "#3b3b3b",
    focusBorder: "#005fb8",
    contrastBorder: "transparent",
    "editor-background": "#ffffff",
    "editor-foreground": "#3b3b3b",
    "textLink-foreground": "#005fb8",
    "button-background": "#005fb8",
    "button-foreground": "#ffffff",
    "button-hoverBackground": "#0258a8",
    "button-border": "#0000001a",
    "button-secondaryBackground": "#e5e5e5",
    "button-secondaryForeground": "#3b3b3b",
    "button-secondaryHoverBackground": "#cccccc",
    "input-background": "#ffffff",
    "input-foreground": "#3b3b3b",
    "input-border": "#cecece",
    "input-placeholderForeground": "#767676",
    "settings-textInputBackground": "#ffffff",
    "settings-textInputForeground": "#3b3b3b",
    "settings-textInputBorder": "#cecece",
    "settings-dropdownBackground": "#ffffff",
    "settings-dropdownForeground": "#3b3b3b",
    "settings-dropdownBorder": "#cecece",
    "settings-checkboxBackground": "#f8f8f8",
    "settings-checkboxForeground": "#3b3b3b",
    "settings-checkboxBorder": "#cecece",
    "panel-background": "#f8f8f8",
    "panelTitle-activeBorder": "#005fb8",
    "panelTitle-activeForeground": "#3b3b3b",
    "panelTitle-inactiveForeground": "#3b3b3b",
    "badge-background": "#cccccc",
    "badge-foreground": "#3b3b3b",
    "list-activeSelectionBackground": "#e8e8e8",
    "list-activeSelectionForeground": "#000000",
    "list-hoverBackground": "#f2f2f2",
    "list-focusOutline": "#005fb8",
    "progressBar-background": "#005fb8",
    "editorWarning-foreground": "#bf8803",
    "editorError-foreground": "#e51400",
    "inputValidation-errorBackground": "#f2dede",
    "inputValidation-errorBorder": "#be1100",
    "inputValidation-warningBackground": "#f6f5d2",
    "inputValidation-warningBorder": "#b89500",
    "widget-shadow": "rgba(0, 0, 0, 0.16)",
  },
  dark: {
    foreground: "#cccccc",
    descriptionForeground: "#9d9d9d",
    focusBorder: "#0078d4",
    contrastBorder: "transparent",
    "editor-background": "#1f1f1f",
    "editor-foreground": "#cccccc",
    "textLink-foreground": "#4daafc",
    "button-background": "#0078d4",
    "button-foreground": "#ffffff",
    "button-hoverBackground": "#026ec1",
    "button-border": "#ffffff12",
    "button-secondaryBackground": "#313131",
    "button-secondaryForeground": "#cccccc",
    "button-secondaryHoverBackground": "#3c3c3c",
    "input-background": "#313131",
    "input-foreground": "#cccccc",
    "input-border": "#3c3c3c",
    "input-placeholderForeground": "#989898",
    "settings-textInputBackground": "#313131",
    "settings-textInputForeground": "#cccccc",
    "settings-textInputBorder": "#3c3c3c",
    "settings-dropdownBackground": "#313131",
    "settings-dropdownForeground": "#cccccc",
    "settings-dropdownBorder": "#3c3c3c",
    "settings-checkboxBackground": "#313131",
    "settings-checkboxForeground": "#cccccc",
    "settings-checkboxBorder": "#3c3c3c",
    "panel-background": "#181818",
    "panelTitle-activeBorder": "#0078d4",
    "panelTitle-activeForeground": "#cccccc",
    "panelTitle-inactiveForeground": "#9d9d9d",
    "badge-background": "#616161",
    "badge-foreground": "#f8f8f8",
    "list-activeSelectionBackground": "#04395e",
    "list-activeSelectionForeground": "#ffffff",
    "list-hoverBackground": "#2a2d2e",
    "list-focusOutline": "#0078d4",
    "progressBar-background": "#0078d4",
    "editorWarning-foreground": "#cca700",
    "editorError-foreground": "#f14c4c",
    "inputValidation-errorBackground": "#5a1d1d",
    "inputValidation-errorBorder": "#be1100",
    "inputValidation-warningBackground": "#352a05",
    "inputValidation-warningBorder": "#b89500",
    "widget-shadow": "rgba(0, 0, 0, 0.36)",
  },
  "high-contrast": {
    foreground: "#ffffff",
    descriptionForeground: "rgba(255, 255, 255, 0.7)",
    focusBorder: "#f38518",
    contrastBorder: "#6fc3df",
    contrastActiveBorder: "#f38518",
    "editor-background": "#000000",
    "editor-foreground": "#ffffff",
    "textLink-foreground": "#21a6ff",
    "button-background": "#000000",
    "button-foreground": "#ffffff",
    "button-hoverBackground": "#000000",
    "button-border": "#6fc3df",
    "button-secondaryBackground": "#000000",
    "button-secondaryForeground": "#ffffff",
    "button-secondaryHoverBackground": "#000000",
    "input-background": "#000000",
    "input-foreground": "#ffffff",
    "input-border": "#6fc3df",
    "input-placeholderForeground": "rgba(255, 255, 255, 0.7)",
    "settings-textInputBackground": "#000000",
    "settings-textInputForeground": "#ffffff",
    "settings-textInputBorder": "#6fc3df",
    "settings-dropdownBackground": "#000000",
    "settings-dropdownForeground": "#ffffff",
    "settings-dropdownBorder": "#6fc3df",
    "settings-checkboxBackground": "#000000",
    "settings-checkboxForeground": "#ffffff",
    "settings-checkboxBorder": "#6fc3df",
    "panel-background": "#000000",
    "panelTitle-activeBorder": "#6fc3df",
    "panelTitle-activeForeground": "#ffffff",
    "panelTitle-inactiveForeground": "#ffffff",
    "badge-background": "#000000",
    "badge-foreground": "#ffffff",
    "list-activeSelectionBackground": "#000000",
    "list-activeSelectionForeground": "#ffffff",
    "list-hoverBackground": "#000000",
    "list-focusOutline": "#f38518",
    "progressBar-background": "#6fc3df",
    "editorWarning-foreground": "#ffd370",
    "editorError-foreground": "#f48771",
    "inputValidation-errorBackground": "#000000",
    "inputValidation-errorBorder": "#6fc3df",
    "inputValidation-warningBackground": "#000000",
    "inputValidation-warningBorder": "#6fc3df",
    "widget-shadow": "transparent",
  },
};

function declarations(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => `  --vscode-${name}: ${value};`)
    .join("\n");
}

/** The theme stylesheet: fonts on `html`, colours on `html` chosen by the body class. */
export function themeCss(): string {
  const blocks = [`html {\n${declarations(COMMON)}\n}`];
  for (const theme of THEMES) {
    blocks.push(`html:has(> body.${BODY_CLASS[theme]}) {\n${declarations(COLORS[theme])}\n}`);
  }
  return `${blocks.join("\n\n")}\n`;
}
