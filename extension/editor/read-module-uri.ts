// Reads a module the editor opens, refusing what is not a file or is over the size limit
// before reading it (the workspace file system API has no partial read, so the magic is
// checked by the analysis afterwards).

import * as vscode from "vscode";
import { moduleSizeError } from "../analysis/module-reader";

export async function readModuleUri(uri: vscode.Uri): Promise<Uint8Array> {
  const stat = await vscode.workspace.fs.stat(uri);
  const name = uri.path.split("/").at(-1) ?? uri.toString();
  if ((stat.type & vscode.FileType.File) === 0) {
    throw new Error(`${name}: not a regular file`);
  }
  const sizeError = moduleSizeError(stat.size);
  if (sizeError) throw new Error(`${name}: ${sizeError}`);
  return vscode.workspace.fs.readFile(uri);
}
