// Above the inspector's tabs when the file is a component: which of its core modules the
// views show (a component's modules are inspected one by one, as Wasmtime plans each),
// with the component's imports and exports and where the module lies in the file.

import { VscodeLabel, VscodeOption, VscodeSingleSelect } from "@vscode-elements/react-elements";
import type { ReactElement } from "react";
import "../styles/module-picker.css";
import { formatBytes, hex, plural } from "../../../common/format";
import type { ComponentView } from "../../../common/report-types";
import type { ReportSide } from "../../../common/webview-protocol";
import { displayText } from "../../../common/display-text";
import { post } from "../vscode-api";

function moduleLabel(module: ComponentView["modules"][number]): string {
  const name = module.name ? ` "${module.name}"` : "";
  const image = module.imageBytes ? `${formatBytes(module.imageBytes)} image` : "no image";
  return displayText(`${module.path}${name}: ${formatBytes(module.length)}, ${image}`);
}

export function ModulePicker(props: {
  component: ComponentView;
  side: ReportSide;
  /** In Compare, each side has its picker: they say which side they are. */
  compare: boolean;
}): ReactElement {
  const { component } = props;
  const chosen = component.modules[component.chosen]!;
  const which = props.compare ? ` (${props.side})` : "";
  const id = `component-module-${props.side}`;
  return (
    <section className="module-picker" aria-label={`Component${which}`} data-side={props.side}>
      <div className="module-picker-row">
        <VscodeLabel htmlFor={id}>
          Component{component.name ? ` "${displayText(component.name)}"` : ""}
          {which}: core module
        </VscodeLabel>
        <VscodeSingleSelect
          id={id}
          data-field="component-module"
          value={String(component.chosen)}
          onChange={(event) =>
            post({
              type: "chooseModule",
              side: props.side,
              module: Number((event.target as HTMLInputElement).value),
            })
          }
        >
          {component.modules.map((module, i) => (
            <VscodeOption key={module.path} value={String(i)}>
              {moduleLabel(module)}
            </VscodeOption>
          ))}
        </VscodeSingleSelect>
      </div>
      <p className="muted" data-field="component-facts">
        {plural(component.modules.length, "core module")},{" "}
        {plural(component.imports.length, "import")}, {plural(component.exports.length, "export")}
        {component.exports.length
          ? ` (${component.exports.map((e) => displayText(e.name)).join(", ")})`
          : ""}
        . Offsets below are the module's own: it starts at byte {hex(chosen.offset)} of the file.
      </p>
    </section>
  );
}
