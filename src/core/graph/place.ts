/**
 * Where each JPD goes. Hubs (JPDs that are the source of a repository) sit in the centre, on a
 * small ring when there are several; the other JPDs sit on an outer ring, each facing the hubs it
 * takes most repositories from, so most edges are short radial lines with few crossings.
 */
import type { TopologyGraph } from './graph.js';
import { GAP, labelSize, round, type Point } from './geometry.js';
import { compareCodeUnits } from '../topology/model.js';

/** At most this much of an edge is reserved for its label when spacing the rings. */
const MAX_LABEL_ROOM = 300;

export type Sizes = ReadonlyMap<string, { width: number; height: number }>;

/** Centres of the nodes, around (0, 0). */
export function placeNodes(graph: TopologyGraph, sizes: Sizes): Map<string, Point> {
  const names = graph.nodes.map((n) => n.name);
  const hubs = graph.nodes.filter((n) => n.sourceOf > 0).map((n) => n.name);
  const hubSet = new Set(hubs);
  const spokes = names.filter((n) => !hubSet.has(n));
  const diag = (list: readonly string[]) =>
    Math.max(
      0,
      ...list.map((n) => Math.hypot(sizes.get(n)?.width ?? 0, sizes.get(n)?.height ?? 0)),
    );
  const halfWidth = (list: readonly string[]) =>
    Math.max(0, ...list.map((n) => (sizes.get(n)?.width ?? 0) / 2));
  const labelRoom = Math.min(
    MAX_LABEL_ROOM,
    Math.max(0, ...graph.edges.map((e) => labelSize(e.label).width)),
  );
  const centres = new Map<string, Point>();
  if (hubs.length === 0 || spokes.length === 0) {
    // One ring: no centre to put anyone in. Wide enough for a label between two neighbours.
    const r = ringRadius(names.length, diag(names) + GAP, (diag(names) + labelRoom) / 2);
    names.forEach((n, i) => centres.set(n, polar(r, angleOf(i + 0.5, names.length, 0.5))));
    return centres;
  }

  const weight = new Map<string, number>();
  for (const e of graph.edges) {
    const w = (weight.get(`${e.from}\u0000${e.to}`) ?? 0) + e.repos.length;
    weight.set(`${e.from}\u0000${e.to}`, w);
    weight.set(`${e.to}\u0000${e.from}`, w);
  }
  const w = (a: string, b: string): number => weight.get(`${a}\u0000${b}`) ?? 0;
  // Radial barycentre ordering: each spoke faces the hubs it takes most from, then each hub
  // faces its spokes; twice over is enough to settle. Fewer crossings, shorter edges.
  let hubAngles = new Map(hubs.map((h, i) => [h, -Math.PI / 2 + (2 * Math.PI * i) / hubs.length]));
  let spokeAngles = placeSpokes(spokes, hubAngles, w, hubs.length > 1);
  for (let pass = 0; pass < 2 && hubs.length > 1; pass++) {
    hubAngles = placeHubs(hubs, hubAngles, spokeAngles, w);
    spokeAngles = placeSpokes(spokes, hubAngles, w, true);
  }
  let inner = 0;
  if (hubs.length > 1) {
    inner = chordRadius(minCircularGap([...hubAngles.values()]), diag(hubs) + GAP);
    for (const [h, a] of hubAngles) centres.set(h, polar(inner, a));
  } else if (hubs[0] !== undefined) {
    centres.set(hubs[0], { x: 0, y: 0 });
  }
  const outer = Math.max(
    ringRadius(spokes.length, diag(spokes) + GAP, 0),
    // Room for the widest label on a horizontal edge between a hub and a spoke.
    inner + halfWidth(hubs) + halfWidth(spokes) + labelRoom + 2 * GAP,
  );
  for (const [spoke, a] of spokeAngles) centres.set(spoke, polar(outer, a));
  return centres;
}

type Weight = (a: string, b: string) => number;

/**
 * Spokes evenly around the ring, in the order of the direction their hubs pull them in (by
 * repositories shared), turned to fit those directions best. Without `pull` (one hub, in the
 * centre) they go by name from the top. Spokes no hub pulls come last, by name.
 */
function placeSpokes(
  spokes: readonly string[],
  hubAngles: ReadonlyMap<string, number>,
  w: Weight,
  pull: boolean,
): Map<string, number> {
  const step = (2 * Math.PI) / Math.max(1, spokes.length);
  const wanted = new Map<string, number>();
  if (pull) {
    for (const s of spokes) {
      const a = meanAngle([...hubAngles].map(([h, angle]) => [angle, w(h, s)]));
      if (a !== undefined) wanted.set(s, a);
    }
  }
  const order = [...spokes].sort(
    (a, b) =>
      fromTop(wanted.get(a) ?? Infinity) - fromTop(wanted.get(b) ?? Infinity) ||
      compareCodeUnits(a, b),
  );
  const turn =
    meanAngle(
      order.flatMap((s, k): [number, number][] => {
        const a = wanted.get(s);
        return a === undefined ? [] : [[a - k * step, 1]];
      }),
    ) ?? (spokes.length === 2 ? Math.PI : -Math.PI / 2); // two spokes: left and right
  return new Map(order.map((s, k) => [s, turn + k * step]));
}

/** Each hub towards its spokes; spread evenly (in that order) when that would crowd them. */
function placeHubs(
  hubs: readonly string[],
  previous: ReadonlyMap<string, number>,
  spokeAngles: ReadonlyMap<string, number>,
  w: Weight,
): Map<string, number> {
  const wanted = new Map(
    hubs.map((h) => [
      h,
      meanAngle([...spokeAngles].map(([s, a]) => [a, w(h, s)])) ?? previous.get(h) ?? 0,
    ]),
  );
  if (minCircularGap([...wanted.values()]) >= Math.PI / hubs.length) return wanted;
  const order = [...hubs].sort(
    (a, b) => fromTop(wanted.get(a) ?? 0) - fromTop(wanted.get(b) ?? 0) || compareCodeUnits(a, b),
  );
  const step = (2 * Math.PI) / hubs.length;
  const turn =
    meanAngle(order.map((h, i): [number, number] => [(wanted.get(h) ?? 0) - i * step, 1])) ??
    -Math.PI / 2;
  return new Map(order.map((h, i) => [h, turn + i * step]));
}

/** Weighted circular mean; undefined when nothing pulls or the pulls cancel out. */
function meanAngle(weighted: readonly (readonly [number, number])[]): number | undefined {
  let x = 0;
  let y = 0;
  for (const [a, w] of weighted) {
    x += w * Math.cos(a);
    y += w * Math.sin(a);
  }
  return Math.hypot(x, y) < 1e-9 ? undefined : Math.atan2(y, x);
}

/** Clockwise from the top, in [0, 2π), rounded so ties compare equal on every platform. */
function fromTop(angle: number): number {
  if (!Number.isFinite(angle)) return angle;
  const a = (((angle + Math.PI / 2) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  return Math.round(a * 1e6) / 1e6;
}

/** Angle of slot `at` of `count`, turned so that slot `origin` points straight up. */
function angleOf(at: number, count: number, origin: number): number {
  return -Math.PI / 2 + (2 * Math.PI * (at - origin)) / count;
}

function polar(r: number, angle: number): Point {
  // Rounded so the SVG is byte-identical across platforms' last floating-point digits.
  return { x: round(r * Math.cos(angle)), y: round(r * Math.sin(angle)) };
}

/** Radius of a ring of `count` evenly spaced nodes whose centres are `chord` apart. */
function ringRadius(count: number, chord: number, min: number): number {
  if (count <= 1) return 0;
  return Math.max(min, chordRadius((2 * Math.PI) / count, chord));
}

function chordRadius(angle: number, chord: number): number {
  return chord / (2 * Math.sin(Math.min(angle, Math.PI) / 2));
}

function minCircularGap(angles: readonly number[]): number {
  const sorted = [...angles].sort((a, b) => a - b);
  let gap = 2 * Math.PI;
  sorted.forEach((a, i) => {
    const next = sorted[(i + 1) % sorted.length] ?? a;
    gap = Math.min(gap, (next - a + 2 * Math.PI) % (2 * Math.PI) || 2 * Math.PI);
  });
  return gap;
}
