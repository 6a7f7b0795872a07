/**
 * The rules every fedctl pull-request comment follows (plan and drift reports): a hidden marker
 * first, so that a CI step can find its own comment and update it; a line saying what the
 * comment covers; text from the topology or the JPDs (descriptions above all) escaped, so that it
 * can neither inject HTML nor notify anyone; and GitHub's 65,535-character limit.
 */

export const GITHUB_COMMENT_LIMIT = 65_535;

export type CommentKind = 'plan' | 'drift';

/**
 * `<!-- fedctl:plan federation.yaml -->`: the first line, the same for every run on the same file.
 * An HTML comment may not contain `--` and ends at `>`, so those are percent-encoded in the name.
 */
export function commentMarker(kind: CommentKind, file: string): string {
  const name = file
    .replace(/%/g, '%25')
    .replace(/-(?=-)/g, '%2D')
    .replace(/>/g, '%3E');
  return `<!-- fedctl:${kind} ${name.endsWith('-') ? `${name.slice(0, -1)}%2D` : name} -->`;
}

/** What a comment covers: the topology, the JPDs and any narrowing. */
export interface CommentScope {
  readonly file: string;
  readonly jpds: readonly string[];
  readonly only?: string;
  readonly jpd?: string;
}

/** `Topology `federation.yaml` · JPDs: eu, hub, us · repositories matching `libs-*`` */
export function coversLine(scope: CommentScope): string {
  const parts = [
    `Topology ${code(scope.file)}`,
    scope.jpd === undefined
      ? `JPDs: ${scope.jpds.map(escapeMarkdown).join(', ')}`
      : `JPD ${escapeMarkdown(scope.jpd)} only`,
  ];
  if (scope.only !== undefined) parts.push(`repositories matching ${code(scope.only)}`);
  return parts.join(' · ');
}

/**
 * Text for a table cell or a list item: raw HTML shown as text (`<`, `>`, `&`), `@mentions`
 * broken with a zero-width space so that nobody is notified, pipes escaped, one line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

/** Inline code that no backtick in the text can close early; the text is one line. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${pad}${ticks}`;
}

/**
 * A fenced block whose fence is longer than any backtick run in the text, so a description
 * holding ``` cannot end it. Markdown renders neither HTML nor mentions inside it.
 */
export function fenced(text: string, info: string): { open: string; close: string } {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return { open: `${fence}${info}\n`, close: `${fence}\n` };
}

/**
 * The summary, then the full text folded away, within `limit` characters: the text is cut at a
 * line end (with a note saying how to see all of it) or, if even the summary is too long, the
 * summary is.
 */
export function fitComment(
  summary: string,
  details: {
    readonly title: string;
    readonly text: string;
    readonly info: string;
    readonly command: string;
  },
  limit: number,
): string {
  const fence = fenced(details.text, details.info);
  const open = `<details><summary>${details.title}</summary>\n\n${fence.open}`;
  const close = `${fence.close}\n</details>\n`;
  // The 1 is the newline between the summary and the details.
  const room = limit - summary.length - 1 - open.length - close.length;
  if (room >= details.text.length) return `${summary}\n${open}${details.text}${close}`;
  const note = `… (truncated to fit a GitHub comment; run \`${details.command}\` for all of it)\n`;
  if (room <= note.length) return `${summary.slice(0, limit - note.length - 1)}\n${note}`;
  const cut = details.text.slice(0, room - note.length);
  return `${summary}\n${open}${cut.slice(0, cut.lastIndexOf('\n') + 1)}${note}${close}`;
}
