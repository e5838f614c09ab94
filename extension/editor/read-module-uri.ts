// Reads a module the editor opens, refusing what is not a file or is over the size limit
// before reading it (the workspace file system API has no partial read, so the magic is
// checked by the analysis afterwards).

import * as vscode from "vscode";
import { moduleSizeError } from "../analysis/module-reader";
import { readSharedFile } from "./read-shared-file";

export async function readModuleUri(uri: vscode.Uri): Promise<Uint8Array> {
  const stat = await vscode.workspace.fs.stat(uri);
  const name = uri.path.split("/").at(-1) ?? uri.toString();
  if ((stat.type & vscode.FileType.File) === 0) {
    throw new Error(`${name}: not a regular file`);
  }
  const sizeError = moduleSizeError(stat.size);
  if (sizeError) throw new Error(`${name}: ${sizeError}`);
  // A local file goes to shared memory, for the analysis worker (read-shared-file.ts);
  // other file systems only through the workspace API.
  return uri.scheme === "file" ? readSharedFile(uri.fsPath) : vscode.workspace.fs.readFile(uri);
}
