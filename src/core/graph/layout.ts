/**
 * A deterministic layout for the topology graph, as geometry the SVG renderer draws and tests
 * measure: nodes placed by ./place.ts; an edge that would cross a node bends around it;
 * labels slide along their edge to avoid nodes and each other.
 */
import type { GraphEdge, TopologyGraph } from './graph.js';
import {
  contains,
  inflate,
  labelSize,
  NODE_FONT_PX,
  overlapArea,
  pointAt,
  round,
  SUB_FONT_PX,
  textWidth,
  centre,
  type Box,
  type Point,
} from './geometry.js';
import { placeNodes } from './place.js';
import { compareCodeUnits } from '../topology/model.js';
import { InternalError } from '../errors.js';

const NODE_PAD_X = 14;
export const NODE_LINE_PX = 17;
const MARGIN = 24;

export interface NodeLayout extends Box {
  readonly name: string;
  readonly hub: boolean;
  /** The name, then for a hub how many repositories it is the source of. */
  readonly lines: readonly string[];
}

/** A quadratic curve from `start` (on the `from` node's border) to `end` (on the `to` node's). */
export interface EdgeLayout {
  readonly edge: GraphEdge;
  readonly start: Point;
  readonly control: Point;
  readonly end: Point;
  readonly label: Box;
}

export interface GraphLayout {
  /** Size of the drawing: every node and label lies within, with a margin. */
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly NodeLayout[];
  readonly edges: readonly EdgeLayout[];
}

export function layoutGraph(graph: TopologyGraph): GraphLayout {
  const sizes = new Map(graph.nodes.map((n) => [n.name, nodeSize(n.name, n.sourceOf)]));
  const centres = placeNodes(graph, sizes);
  const boxes = new Map<string, NodeLayout>();
  for (const node of graph.nodes) {
    const size = sizes.get(node.name) ?? nodeSize(node.name, 0);
    const c = centres.get(node.name) ?? { x: 0, y: 0 };
    boxes.set(node.name, {
      name: node.name,
      hub: node.sourceOf > 0,
      lines: size.lines,
      x: c.x - size.width / 2,
      y: c.y - size.height / 2,
      width: size.width,
      height: size.height,
    });
  }
  const edges = placeLabels(routeEdges(graph.edges, boxes), [...boxes.values()]);
  return translate([...boxes.values()], edges);
}

function nodeSize(name: string, sourceOf: number) {
  const lines = sourceOf > 0 ? [name, `hub: ${plural(sourceOf)}`] : [name];
  const width = Math.max(
    textWidth(name, NODE_FONT_PX),
    ...lines.slice(1).map((l) => textWidth(l, SUB_FONT_PX)),
  );
  return { lines, width: width + 2 * NODE_PAD_X, height: 12 + NODE_LINE_PX * lines.length };
}

function plural(n: number): string {
  return n === 1 ? '1 repository' : `${n} repositories`;
}

interface Route {
  readonly edge: GraphEdge;
  readonly start: Point;
  readonly control: Point;
  readonly end: Point;
}

/**
 * Straight where nothing is in the way; otherwise the least bend that clears every other node.
 * Edges between the same two JPDs (each way, enabled and disabled) fan out so none hides another.
 */
function routeEdges(edges: readonly GraphEdge[], boxes: ReadonlyMap<string, Box>): Route[] {
  const pairs = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const [lo, hi] = ordered(edge.from, edge.to);
    const key = `${lo}\u0000${hi}`;
    pairs.set(key, [...(pairs.get(key) ?? []), edge]);
  }
  const all = [...boxes.entries()];
  return edges.map((edge) => {
    const [lo, hi] = ordered(edge.from, edge.to);
    const a = boxes.get(lo);
    const b = boxes.get(hi);
    if (a === undefined || b === undefined)
      throw new InternalError(`edge ${edge.id} names an unknown JPD`);
    const siblings = pairs.get(`${lo}\u0000${hi}`) ?? [edge];
    const base =
      siblings.length === 1 ? 0 : (siblings.indexOf(edge) - (siblings.length - 1) / 2) * 0.22;
    const others = all.filter(([n]) => n !== lo && n !== hi).map(([, box]) => inflate(box, 8));
    let best = curve(a, b, base);
    let bestHits = hits(best, others);
    for (const extra of [0.25, -0.25, 0.45, -0.45, 0.7, -0.7]) {
      if (bestHits === 0) break;
      const candidate = curve(a, b, base + extra);
      const h = hits(candidate, others);
      if (h < bestHits) [best, bestHits] = [candidate, h];
    }
    const forward = lo === edge.from;
    return {
      edge,
      start: forward ? best.start : best.end,
      control: best.control,
      end: forward ? best.end : best.start,
    };
  });
}

function ordered(a: string, b: string): [string, string] {
  return compareCodeUnits(a, b) <= 0 ? [a, b] : [b, a];
}

/** A curve between two boxes bent by `bend` times their distance, clipped at their borders. */
function curve(a: Box, b: Box, bend: number): { start: Point; control: Point; end: Point } {
  const ca = centre(a);
  const cb = centre(b);
  const dx = cb.x - ca.x;
  const dy = cb.y - ca.y;
  const control = {
    x: round((ca.x + cb.x) / 2 - dy * bend),
    y: round((ca.y + cb.y) / 2 + dx * bend),
  };
  return { start: exitPoint(a, control), control, end: exitPoint(b, control) };
}

/** Where the ray from the box's centre towards `toward` leaves the box (plus 2px). */
function exitPoint(box: Box, toward: Point): Point {
  const c = centre(box);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  const sx = dx === 0 ? Infinity : (box.width / 2 + 2) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (box.height / 2 + 2) / Math.abs(dy);
  const s = Math.min(sx, sy, 1);
  return { x: round(c.x + dx * s), y: round(c.y + dy * s) };
}

function hits(route: { start: Point; control: Point; end: Point }, boxes: readonly Box[]): number {
  let n = 0;
  for (let i = 1; i < 20; i++) {
    const p = pointAt(route, i / 20);
    for (const box of boxes) if (contains(box, p)) n++;
  }
  return n;
}

const LABEL_POSITIONS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85];

/** Each label at the first point along its edge that overlaps nothing, else the least overlap. */
function placeLabels(routes: readonly Route[], nodes: readonly Box[]): EdgeLayout[] {
  const placed: Box[] = [];
  const obstacles = nodes.map((n) => inflate(n, 4));
  return routes.map((route) => {
    const size = labelSize(route.edge.label);
    let best: Box | undefined;
    let bestScore = Infinity;
    for (const t of LABEL_POSITIONS) {
      const p = pointAt(route, t);
      const box = {
        x: round(p.x - size.width / 2),
        y: round(p.y - size.height / 2),
        width: size.width,
        height: size.height,
      };
      const score =
        10 * obstacles.reduce((s, n) => s + overlapArea(box, n), 0) +
        placed.reduce((s, l) => s + overlapArea(box, inflate(l, 2)), 0);
      if (score < bestScore) [best, bestScore] = [box, score];
      if (score === 0) break;
    }
    const label = best ?? { x: route.start.x, y: route.start.y, ...size };
    placed.push(label);
    return { ...route, label };
  });
}

/** Moves everything so the drawing starts at the margin, and measures it. */
function translate(nodes: readonly NodeLayout[], edges: readonly EdgeLayout[]): GraphLayout {
  const boxes: Box[] = [...nodes, ...edges.map((e) => e.label)];
  const points = edges.flatMap((e) => [0.25, 0.5, 0.75].map((t) => pointAt(e, t)));
  const minX = Math.min(...boxes.map((b) => b.x), ...points.map((p) => p.x));
  const minY = Math.min(...boxes.map((b) => b.y), ...points.map((p) => p.y));
  const maxX = Math.max(...boxes.map((b) => b.x + b.width), ...points.map((p) => p.x));
  const maxY = Math.max(...boxes.map((b) => b.y + b.height), ...points.map((p) => p.y));
  const dx = MARGIN - (Number.isFinite(minX) ? minX : 0);
  const dy = MARGIN - (Number.isFinite(minY) ? minY : 0);
  const move = <T extends Point>(p: T): T => ({ ...p, x: round(p.x + dx), y: round(p.y + dy) });
  return {
    width: Math.ceil((Number.isFinite(maxX) ? maxX + dx : 0) + MARGIN),
    height: Math.ceil((Number.isFinite(maxY) ? maxY + dy : 0) + MARGIN),
    nodes: nodes.map(move),
    edges: edges.map((e) => ({
      edge: e.edge,
      start: move(e.start),
      control: move(e.control),
      end: move(e.end),
      label: move(e.label),
    })),
  };
}
