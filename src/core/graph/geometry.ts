/**
 * Geometry and text metrics for the graph layout. Text is measured without a browser: the SVG
 * uses a monospace font, whose advance is 0.6em in DejaVu Sans Mono, Liberation Mono, Menlo and
 * Courier (Consolas is narrower); CHAR_EM leaves a little slack.
 */

export const NODE_FONT_PX = 13;
export const SUB_FONT_PX = 10;
export const LABEL_FONT_PX = 11;
export const CHAR_EM = 0.62;
const LABEL_PAD_X = 4;
const LABEL_HEIGHT = 16;
/** Space kept between node boxes, and around them for edges and labels. */
export const GAP = 24;

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A rectangle by its top-left corner. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function textWidth(text: string, fontPx: number): number {
  return Math.ceil(text.length * fontPx * CHAR_EM);
}

export function labelSize(text: string): { width: number; height: number } {
  return { width: textWidth(text, LABEL_FONT_PX) + 2 * LABEL_PAD_X, height: LABEL_HEIGHT };
}

export function pointAt(route: { start: Point; control: Point; end: Point }, t: number): Point {
  const u = 1 - t;
  return {
    x: u * u * route.start.x + 2 * u * t * route.control.x + t * t * route.end.x,
    y: u * u * route.start.y + 2 * u * t * route.control.y + t * t * route.end.y,
  };
}

export function centre(box: Box): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

export function inflate(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

export function contains(box: Box, p: Point): boolean {
  return p.x > box.x && p.x < box.x + box.width && p.y > box.y && p.y < box.y + box.height;
}

export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** To a tenth of a pixel, so the SVG is byte-identical across platforms' last digits. */
export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
