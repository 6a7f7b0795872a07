/**
 * Output neutralisation: every string that came from a JPD or a topology file passes through here
 * before a renderer writes it to a terminal or to markdown. A repository key, a description, a
 * member URL or a server's error message can carry terminal control sequences (ESC colours,
 * `ESC[2J`, OSC window titles, BEL, NUL, CR, backspace) or bidi overrides (U+202E, Trojan Source,
 * CVE-2021-42574) that would repaint or reorder what the user reads. They are shown as visible
 * escapes instead (`\x1b`, `\u202e`); printable Unicode is kept. JSON output never passes
 * through here: it stays exact, and JSON escapes control characters itself.
 */

/**
 * C0 and C1 controls and DEL; bidi marks, embeddings, overrides and isolates; zero-width and
 * invisible format characters; line and paragraph separators; the BOM; interlinear annotation
 * marks; tag characters (invisible "ASCII smuggling"); and lone surrogates (not text at all).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  if (char.length === 2) {
    // A tag character: a surrogate pair, shown as its code point.
    return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
  }
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value for one line: every control and invisible character shown as an escape. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Text fedctl built from several lines: its own line breaks kept, each line made safe. */
export function safeLines(text: string): string {
  return text.split('\n').map(safeText).join('\n');
}

/**
 * Text for a markdown table cell or list item: made safe, raw HTML shown as text (`<` and `&` as
 * entities: no tag can open; `->` stays readable), every character that markdown (CommonMark with GitHub's tables) would read as syntax
 * backslash-escaped, so a description can neither split the table (`|`), start a link or image
 * (`[`), nor emphasise; and `@mentions` broken with a zero-width space, so nobody is notified.
 */
export function safeMarkdown(text: string): string {
  return safeText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/@(?=[\w-])/g, '@\u200b');
}

/** A code span whose content cannot end it early: the fence is longer than any backtick run. */
export function markdownCode(text: string): string {
  const safe = safeText(text).replace(/\|/g, '\\|');
  const fence = '`'.repeat(longestRun(safe, '`') + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/** A fenced block opener/closer longer than any backtick run inside the block (CommonMark 4.5). */
export function markdownFence(content: string): string {
  return '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
