// Where the boxes go: rows by distance from the host over the wires (the upstream side above
// the host), each row split into sub-rows that fit the width. Pure.
import { boxContent, naturalWidth } from './box-content.js';
import type { MapBox, Topology } from './topology.js';

export interface PlacedBox {
  box: MapBox;
  title: string;
  /** Left column and total width, borders included. */
  x: number;
  w: number;
  /** Content lines (the box is lines.length + 2 high; w is their width + FRAME). */
  lines: string[];
  row: number;
}

export interface Layout {
  rows: PlacedBox[][];
  byName: Map<string, PlacedBox>;
}

const GAP = 2;
const MIN_INNER = 26;
/** Borders and one space of padding on each side. */
export const FRAME = 4;

export function titleOf(box: MapBox, world: Topology['world']): string {
  if (box.kind === 'upstream') return `${box.namespace} (upstream)`;
  if (box.kind === 'host') return world === 'sandbox' ? 'host (the sandbox)' : 'host (this machine)';
  return box.namespace;
}

/** Groups boxes by depth: BFS from the host over wires; upstream neighbours of the host above it;
 *  boxes no wire reaches last. Order inside a group follows the parent, then the snapshot. */
export function depthGroups(topology: Topology): MapBox[][] {
  const names = topology.boxes.map((b) => b.namespace);
  const adj = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const w of topology.wires) {
    const a = w.a.namespace;
    const b = w.b.namespace;
    if (b === undefined || a === b || !adj.has(a) || !adj.has(b)) continue;
    adj.get(a)!.push(b);
    adj.get(b)!.push(a);
  }
  // children in the order of the parent's own interfaces (its bridge ports, say)
  const peerRank = (parent: string, kid: string): number => {
    const box = topology.boxes.find((b) => b.namespace === parent)!;
    const ends = [...box.interfaces, ...box.bridges.flatMap((b) => b.ports)];
    const i = ends.findIndex((e) => e.peer?.namespace === kid);
    return i < 0 ? ends.length : i;
  };
  const root = topology.boxes.find((b) => b.kind === 'host') ?? topology.boxes[0];
  if (!root) return [];
  const depth = new Map<string, number>([[root.namespace, 0]]);
  const order: string[] = [root.namespace];
  for (let i = 0; i < order.length; i++) {
    const here = order[i]!;
    const kids = [...adj.get(here)!].sort((x, y) => peerRank(here, x) - peerRank(here, y) || names.indexOf(x) - names.indexOf(y));
    for (const k of kids) {
      if (depth.has(k)) continue;
      const kind = topology.boxes.find((b) => b.namespace === k)!.kind;
      depth.set(k, here === root.namespace && kind === 'upstream' ? -1 : depth.get(here)! + 1);
      order.push(k);
    }
  }
  const last = Math.max(0, ...depth.values()) + 1;
  for (const n of names) if (!depth.has(n)) (depth.set(n, last), order.push(n));
  const groups = new Map<number, MapBox[]>();
  for (const n of order) {
    const d = depth.get(n)!;
    if (!groups.has(d)) groups.set(d, []);
    groups.get(d)!.push(topology.boxes.find((b) => b.namespace === n)!);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

function place(box: MapBox, title: string, inner: number, x: number, row: number): PlacedBox {
  const lines = boxContent(box, inner);
  const w = Math.max(...lines.map((l) => [...l].length), Math.min(inner, title.length + 2)) + FRAME;
  return { box, title, x, w: Math.min(w, inner + FRAME), lines, row };
}

/** Lays the boxes out in `width` columns. */
export function layoutBoxes(topology: Topology, width: number): Layout {
  const rows: PlacedBox[][] = [];
  for (const group of depthGroups(topology)) {
    const titles = group.map((b) => titleOf(b, topology.world));
    const naturals = group.map((b, i) => Math.min(naturalWidth(b, titles[i]!), Math.max(1, width - FRAME)));
    const fitsAsIs = naturals.reduce((sum, n) => sum + n + FRAME, 0) + GAP * (group.length - 1) <= width;
    let perRow = 1;
    for (let k = fitsAsIs ? 0 : group.length; k >= 1; k--) {
      const cap = Math.floor((width - GAP * (k - 1)) / k) - FRAME;
      if (k === 1 || cap >= Math.min(MIN_INNER, Math.max(...naturals))) {
        perRow = k;
        break;
      }
    }
    if (fitsAsIs) perRow = group.length;
    const cap = fitsAsIs ? width : Math.max(1, Math.floor((width - GAP * (perRow - 1)) / perRow) - FRAME);
    for (let start = 0; start < group.length; start += perRow) {
      const row: PlacedBox[] = [];
      let x = 0;
      for (let i = start; i < Math.min(group.length, start + perRow); i++) {
        const p = place(group[i]!, titles[i]!, Math.min(naturals[i]!, cap), x, rows.length);
        row.push(p);
        x += p.w + GAP;
      }
      rows.push(row);
    }
  }
  const byName = new Map(rows.flat().map((p) => [p.box.namespace, p]));
  return { rows, byName };
}
