// Routes the veth wires between placed boxes: through the channel under each row, and down a
// lane right of the boxes when a wire skips rows. Pure: returns segments to draw.
import type { Layout, PlacedBox } from './layout.js';
import type { MapWire } from './topology.js';

/** A wire's piece inside one channel (the gap under row `channel`): from a column entering at the
 *  top to a column leaving at the bottom, or (both 'top') a U joining two boxes of the same row. */
export interface Segment {
  wire: MapWire;
  channel: number;
  from: { x: number; at: 'top' };
  to: { x: number; at: 'top' | 'bottom' };
}

export interface Routing {
  segments: Segment[];
  /** Vertical lane runs beside rows: column, and the rows it passes. */
  lanes: Array<{ x: number; rows: number[]; wire: MapWire }>;
  /** Connectors on box borders: '┬' under a box, '┴' on top of one. */
  connectors: Array<{ x: number; row: number; edge: 'top' | 'bottom'; wire: MapWire }>;
  /** Wires that could not be drawn (their ends still name each other in the boxes). */
  undrawn: MapWire[];
}

type Kind = { wire: MapWire; upper: PlacedBox; lower: PlacedBox };

/** Wires between two different observed boxes, by the rows they join. */
export function classifyWires(layout: Layout, wires: MapWire[]): { same: Kind[]; adjacent: Kind[]; skip: Kind[]; other: MapWire[] } {
  const out = { same: [] as Kind[], adjacent: [] as Kind[], skip: [] as Kind[], other: [] as MapWire[] };
  for (const wire of wires) {
    const a = layout.byName.get(wire.a.namespace);
    const b = wire.b.namespace === undefined ? undefined : layout.byName.get(wire.b.namespace);
    if (!a || !b || a === b) {
      out.other.push(wire);
      continue;
    }
    const [upper, lower] = a.row <= b.row ? [a, b] : [b, a];
    const k = { wire, upper, lower };
    if (upper.row === lower.row) out.same.push(k);
    else if (lower.row === upper.row + 1) out.adjacent.push(k);
    else out.skip.push(k);
  }
  return out;
}

/** Columns on a box's top border free for connectors: right of the title, inside the corners. */
function topSlots(p: PlacedBox): number[] {
  const first = p.x + Math.min(p.title.length, p.w - 6) + 5;
  const slots: number[] = [];
  for (let x = first; x <= p.x + p.w - 3; x += 2) slots.push(x);
  return slots;
}

function bottomSlots(p: PlacedBox): number[] {
  const slots: number[] = [];
  for (let x = p.x + 2; x <= p.x + p.w - 3; x++) slots.push(x);
  return slots;
}

export function routeWires(layout: Layout, wires: MapWire[], laneXs: number[]): Routing {
  const kinds = classifyWires(layout, wires);
  const routing: Routing = { segments: [], lanes: [], connectors: [], undrawn: [...kinds.other] };
  const usedTop = new Map<PlacedBox, number>();
  const usedBottom = new Set<string>();
  const bottomTaken = (row: number) => new Set(routing.segments.filter((s) => s.channel === row && s.to.at === 'bottom').map((s) => s.to.x));

  const takeTop = (p: PlacedBox): number | undefined => {
    const i = usedTop.get(p) ?? 0;
    const x = topSlots(p)[i];
    if (x !== undefined) usedTop.set(p, i + 1);
    return x;
  };
  const takeBottom = (p: PlacedBox, near: number, avoid: Set<number>): number | undefined => {
    const free = bottomSlots(p).filter((x) => !usedBottom.has(`${p.row},${x}`) && !avoid.has(x));
    free.sort((a, b) => Math.abs(a - near) - Math.abs(b - near) || a - b);
    const x = free[0];
    if (x !== undefined) usedBottom.add(`${p.row},${x}`);
    return x;
  };

  // first the ends on top borders (they are fixed by the slots), then the ends under boxes
  const pending: Array<() => void> = [];
  for (const k of kinds.adjacent.sort((a, b) => a.upper.x - b.upper.x)) {
    const t = takeTop(k.lower);
    if (t === undefined) {
      routing.undrawn.push(k.wire);
      continue;
    }
    const seg: Segment = { wire: k.wire, channel: k.upper.row, from: { x: -1, at: 'top' }, to: { x: t, at: 'bottom' } };
    routing.segments.push(seg);
    routing.connectors.push({ x: t, row: k.lower.row, edge: 'top', wire: k.wire });
    pending.push(() => {
      const s = takeBottom(k.upper, t, new Set([...bottomTaken(k.upper.row)].filter((x) => x !== t)));
      if (s === undefined) {
        routing.segments.splice(routing.segments.indexOf(seg), 1);
        routing.undrawn.push(k.wire);
        return;
      }
      seg.from.x = s;
      routing.connectors.push({ x: s, row: k.upper.row, edge: 'bottom', wire: k.wire });
    });
  }
  let lane = 0;
  for (const k of kinds.skip) {
    const L = laneXs[lane];
    const t = L === undefined ? undefined : takeTop(k.lower);
    if (L === undefined || t === undefined) {
      routing.undrawn.push(k.wire);
      continue;
    }
    lane++;
    const last: Segment = { wire: k.wire, channel: k.lower.row - 1, from: { x: L, at: 'top' }, to: { x: t, at: 'bottom' } };
    routing.segments.push(last);
    routing.connectors.push({ x: t, row: k.lower.row, edge: 'top', wire: k.wire });
    for (let c = k.upper.row + 1; c < k.lower.row - 1; c++) routing.segments.push({ wire: k.wire, channel: c, from: { x: L, at: 'top' }, to: { x: L, at: 'bottom' } });
    const rows: number[] = [];
    for (let r = k.upper.row + 1; r < k.lower.row; r++) rows.push(r);
    routing.lanes.push({ x: L, rows, wire: k.wire });
    const first: Segment = { wire: k.wire, channel: k.upper.row, from: { x: -1, at: 'top' }, to: { x: L, at: 'bottom' } };
    routing.segments.push(first);
    pending.push(() => {
      const s = takeBottom(k.upper, L, bottomTaken(k.upper.row));
      first.from.x = s ?? -1;
      if (s !== undefined) routing.connectors.push({ x: s, row: k.upper.row, edge: 'bottom', wire: k.wire });
    });
  }
  for (const k of kinds.same) {
    const [left, right] = k.upper.x < k.lower.x ? [k.upper, k.lower] : [k.lower, k.upper];
    const seg: Segment = { wire: k.wire, channel: left.row, from: { x: -1, at: 'top' }, to: { x: -1, at: 'top' } };
    routing.segments.push(seg);
    pending.push(() => {
      const avoid = bottomTaken(left.row);
      const a = takeBottom(left, left.x + left.w, avoid);
      const b = takeBottom(right, right.x, avoid);
      if (a === undefined || b === undefined) {
        routing.segments.splice(routing.segments.indexOf(seg), 1);
        routing.undrawn.push(k.wire);
        return;
      }
      seg.from.x = a;
      seg.to.x = b;
      routing.connectors.push({ x: a, row: left.row, edge: 'bottom', wire: k.wire }, { x: b, row: right.row, edge: 'bottom', wire: k.wire });
    });
  }
  for (const p of pending) p();
  // a wire that lost one end is not drawn at all
  const gone = new Set(routing.undrawn);
  routing.segments = routing.segments.filter((s) => s.from.x >= 0 && !gone.has(s.wire));
  routing.lanes = routing.lanes.filter((l) => !gone.has(l.wire));
  routing.connectors = routing.connectors.filter((c) => !gone.has(c.wire));
  return routing;
}
