/**
 * The rules every fedctl pull-request comment follows (plan and drift reports): a hidden marker
 * first, so that a CI step can find its own comment and update it; a line saying what the
 * comment covers; text from the topology or the JPDs (descriptions above all) escaped
 * (core/safe-text.ts), so that it can neither inject HTML nor notify anyone; and GitHub's
 * 65,535-character limit, which the optional parts give way to before any of the report does.
 */
import { markdownCode, markdownFence, safeMarkdown } from '../safe-text.js';
import type { Scope } from '../plan/model.js';

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
export interface CommentScope extends Scope {
  readonly file: string;
  readonly jpds: readonly string[];
}

/** `Topology `federation.yaml` · JPDs: eu, hub, us · repositories matching `libs-*`` */
export function coversLine(scope: CommentScope): string {
  const parts = [
    `Topology ${markdownCode(scope.file)}`,
    scope.jpd === undefined
      ? `JPDs: ${scope.jpds.map(safeMarkdown).join(', ')}`
      : `JPD ${safeMarkdown(scope.jpd)} only`,
  ];
  if (scope.only !== undefined) parts.push(`repositories matching ${markdownCode(scope.only)}`);
  return parts.join(' · ');
}

/** The report's full text, folded away under `title`, in a block no line of it can close. */
export interface CommentDetails {
  readonly title: string;
  readonly text: string;
  /** The fence's info string: `diff`, `text`. */
  readonly info: string;
  /** The command that shows all of it, for the truncation note. */
  readonly command: string;
}

/** A part of the comment that may go, replaced by its note, when the whole would not fit. */
export interface OptionalPart {
  readonly text: string;
  readonly leftOut: string;
}

/**
 * The summary, the optional part, then the details folded away, within `limit` characters. When
 * they do not fit, the optional part goes first (its note in its place); then the details are cut
 * at a line end, with a note saying how to see all of it; if even the summary is too long, it is.
 */
export function fitComment(
  summary: string,
  details: CommentDetails,
  limit: number,
  optional?: OptionalPart,
): string {
  const fence = markdownFence(details.text);
  const open = `<details><summary>${details.title}</summary>\n\n${fence}${details.info}\n`;
  const close = `${fence}\n\n</details>\n`;
  const whole = `${summary}\n${optional?.text ?? ''}${open}${details.text}${close}`;
  if (whole.length <= limit) return whole;
  const head = `${summary}\n${optional?.leftOut ?? ''}`;
  const room = limit - head.length - open.length - close.length;
  if (room >= details.text.length) return `${head}${open}${details.text}${close}`;
  const note = `… (truncated to fit a GitHub comment; run \`${details.command}\` for all of it)\n`;
  if (room <= note.length) return `${summary.slice(0, limit - note.length - 1)}\n${note}`;
  const cut = details.text.slice(0, room - note.length);
  return `${head}${open}${cut.slice(0, cut.lastIndexOf('\n') + 1)}${note}${close}`;
}
