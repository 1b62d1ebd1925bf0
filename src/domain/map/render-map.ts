// renderMap: the topology drawn with box-drawing characters in a given width. Boxes are
// namespaces, wires are veth pairs (dashed when an end is down); every interface also names its
// peer in words, so nothing depends on colour or on a wire being drawable. Pure.
import type { Snapshot } from '../snapshot/snapshot.js';
import { buildTopology } from './build-topology.js';
import { Canvas, type Dir } from './canvas.js';
import { layoutBoxes, type Layout, type PlacedBox } from './layout.js';
import { classifyWires, routeWires, type Routing, type Segment } from './route-wires.js';
import type { Topology } from './topology.js';

function isTopology(x: Snapshot | Topology): x is Topology {
  return 'boxes' in x;
}

/** Lays out with room for as many lanes as the wires that skip rows need. */
function layoutWithLanes(topology: Topology, width: number): { layout: Layout; laneXs: number[] } {
  let lanes = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const avail = lanes > 0 ? width - (2 * lanes + 1) : width;
    if (avail < 24) break;
    const layout = layoutBoxes(topology, avail);
    const need = classifyWires(layout, topology.wires).skip.length;
    if (need <= lanes) return { layout, laneXs: Array.from({ length: lanes }, (_, j) => avail + 1 + 2 * j) };
    lanes = need;
  }
  return { layout: layoutBoxes(topology, width), laneXs: [] };
}

function drawBox(c: Canvas, p: PlacedBox, y: number, height: number): void {
  const inner = p.w - 2;
  const title = p.title.length > inner - 4 ? `${p.title.slice(0, Math.max(1, inner - 5))}…` : p.title;
  c.text(p.x, y, `┌─ ${title} ${'─'.repeat(Math.max(0, inner - title.length - 3))}┐`);
  for (let i = 0; i < height - 2; i++) c.text(p.x, y + 1 + i, `│ ${(p.lines[i] ?? '').padEnd(inner - 2)} │`);
  c.text(p.x, y + height - 1, `└${'─'.repeat(inner)}┘`);
}

/** Draws one channel's segments in lines y0..y0+h-1; returns h. */
function drawChannel(c: Canvas, segments: Segment[], y0: number): number {
  const tracks = segments.filter((s) => s.to.at === 'top' || s.from.x !== s.to.x);
  tracks.sort((a, b) => Math.abs(a.from.x - a.to.x) - Math.abs(b.from.x - b.to.x));
  const h = Math.max(1, tracks.length);
  for (const s of segments) {
    const dashed = s.wire.state === 'down';
    const k = tracks.indexOf(s);
    if (k < 0) {
      c.vertical(s.from.x, y0, y0 + h - 1, dashed);
      continue;
    }
    const y = y0 + k;
    const [lo, hi] = s.from.x < s.to.x ? [s.from.x, s.to.x] : [s.to.x, s.from.x];
    const toward = (x: number): Dir => (x === lo ? 'right' : 'left');
    c.vertical(s.from.x, y0, y - 1, dashed);
    c.wire(s.from.x, y, ['up', toward(s.from.x)], dashed);
    for (let x = lo + 1; x < hi; x++) c.wire(x, y, ['left', 'right'], dashed);
    if (s.to.at === 'top') {
      c.vertical(s.to.x, y0, y - 1, dashed);
      c.wire(s.to.x, y, ['up', toward(s.to.x)], dashed);
    } else {
      c.wire(s.to.x, y, ['down', toward(s.to.x)], dashed);
      c.vertical(s.to.x, y + 1, y0 + h - 1, dashed);
    }
  }
  return h;
}

export function renderMap(input: Snapshot | Topology, width = 100): string {
  const topology = isTopology(input) ? input : buildTopology(input);
  const w = Math.max(20, Math.floor(width));
  const { layout, laneXs } = layoutWithLanes(topology, w);
  const routing: Routing = routeWires(layout, topology.wires, laneXs);
  const c = new Canvas(w);
  let y = 0;
  layout.rows.forEach((row, r) => {
    const height = Math.max(...row.map((p) => p.lines.length + 2));
    for (const p of row) drawBox(c, p, y, p.lines.length + 2);
    for (const k of routing.connectors.filter((k) => k.row === r)) {
      const box = row.find((p) => k.x > p.x && k.x < p.x + p.w - 1)!;
      c.text(k.x, k.edge === 'top' ? y : y + box.lines.length + 1, k.edge === 'top' ? '┴' : '┬');
      // a box shorter than its row: carry the wire down to the row's bottom
      if (k.edge === 'bottom') c.vertical(k.x, y + box.lines.length + 2, y + height - 1, k.wire.state === 'down');
    }
    for (const lane of routing.lanes.filter((l) => l.rows.includes(r))) c.vertical(lane.x, y, y + height - 1, lane.wire.state === 'down');
    y += height;
    const segments = routing.segments.filter((s) => s.channel === r);
    if (r < layout.rows.length - 1 || segments.length) y += drawChannel(c, segments, y);
  });
  const lines = c.lines();
  return `${lines.join('\n')}\n`;
}
