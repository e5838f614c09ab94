// A slot's affinity as the runner keys it: `${moduleId}#${memory}`, where the editor's
// module id is the file URI and the controller's other module is `${moduleId}#other`.
// The webview knows its module only by file name, so "this module" is a name match.

export interface Affinity {
  /** The file name (last path segment of the URI), or the whole key if it has none. */
  fileName: string;
  memory: number | null;
  /** The one-page module "Instantiate another module" runs. */
  other: boolean;
}

const OTHER_SUFFIX = "#other";

export function parseAffinity(key: string): Affinity {
  const match = /^(.*)#(\d+)$/.exec(key);
  let moduleId = match ? match[1]! : key;
  const memory = match ? Number(match[2]) : null;
  const other = moduleId.endsWith(OTHER_SUFFIX);
  if (other) moduleId = moduleId.slice(0, -OTHER_SUFFIX.length);
  const last = moduleId.split(/[/\\]/).at(-1) || moduleId;
  let fileName = last;
  try {
    fileName = decodeURIComponent(last);
  } catch {
    // Not URI-encoded after all: show it as it is.
  }
  return { fileName, memory, other };
}

/** Whether a slot keyed this way holds a memory of the module shown in this editor. */
export function isThisModule(affinity: Affinity, fileName: string): boolean {
  return !affinity.other && affinity.fileName === fileName;
}
