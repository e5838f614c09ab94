// Text that a module controls (import, export, section and name-section names, trap and
// exception messages, file names) on its way to a reader: a terminal, the log channel, a
// notification, a Markdown report, a webview title. Control characters would be
// interpreted there (an escape sequence clears or retitles a terminal, a newline forges an
// `error:` line, a bidi override reorders what follows), so each is shown as an escape
// instead. JSON output keeps the exact strings: JSON escapes its own control characters.

/**
 * C0 and C1 controls and DEL, the bidi embeddings, overrides, isolates and marks, the
 * line and paragraph separators, the byte order mark, and lone surrogates (with the `u`
 * flag a surrogate range matches only an unpaired half).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/gu;

/** `text` with every unsafe character as an escape: `\x1b`, `\u{202e}`. */
export function displayText(text: string): string {
  return text.replace(UNSAFE, (character) => {
    const code = character.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

/** Every character CommonMark or HTML could read as markup in running text or a table
 *  cell. Backslash escapes work for each of them (CommonMark escapes any ASCII
 *  punctuation), including `<` and `&`, which then never start HTML or an entity. */
const MARKDOWN_SPECIAL = /[\\`*_[\]|<>#~&]/g;

/** `text` safe in Markdown running text or a table cell: displayText, then markup escaped. */
export function markdownText(text: string): string {
  return displayText(text).replace(MARKDOWN_SPECIAL, (character) => `\\${character}`);
}

/** Text of several lines (a trap's message with its backtrace, captured output) with its
 *  line breaks kept and every other unsafe character escaped (a lone CR included). */
export function displayMultiline(text: string): string {
  return displayLines(text.split("\n"));
}

/** Each line of a multi-line human report through displayText: the report's own line
 *  breaks stay, one embedded in a name cannot start a line of its own (it is inside a line). */
export function displayLines(lines: readonly string[]): string {
  return lines.map(displayText).join("\n");
}
