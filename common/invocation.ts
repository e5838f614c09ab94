// `NAME=ARG,ARG`: one call of an export with its arguments as text, as `wasm-cow run
// --invoke`, `wasm-cow lab --invoke` and the Strategies tab's workload write it.

/** The export's name (before the first "="; possibly empty) and its arguments. */
export function splitInvocation(spec: string): { name: string; args: string[] } {
  const [name, list] = spec.split(/=(.*)/s, 2) as [string, string | undefined];
  return { name, args: list === undefined || list === "" ? [] : list.split(",") };
}
