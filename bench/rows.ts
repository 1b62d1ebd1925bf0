// A benchmark row (a figure beside its floor) and the table `npm run bench` prints.
import type { Sample } from './stats.js';

export interface Row {
  figure: string;
  ours?: Sample;
  floor?: Sample;
  floorLabel: string;
  unit: 'ms' | 'MB';
  target?: string;
  note?: string;
}

function fmt(s: Sample | undefined, unit: string): string {
  if (!s) return '—';
  const d = unit === 'MB' ? 0 : s.median < 10 ? 2 : 1;
  return `${s.median.toFixed(d)} (${s.p10.toFixed(d)}–${s.p90.toFixed(d)})`;
}

export function renderTable(rs: readonly Row[]): string {
  const head = ['figure', 'ours: median (p10–p90)', 'floor', 'floor: median (p10–p90)', 'ratio', 'target'];
  const body = rs.map((r) => [
    `${r.figure} [${r.unit}]`,
    fmt(r.ours, r.unit),
    r.floorLabel,
    fmt(r.floor, r.unit),
    r.ours && r.floor ? `${(r.ours.median / r.floor.median).toFixed(1)}x` : '—',
    r.target ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |\n`;
  const notes = rs.filter((r) => r.note).map((r) => `- ${r.figure}: ${r.note}\n`).join('');
  return line(head) + line(widths.map((w) => '-'.repeat(w))) + body.map(line).join('') + (notes ? `\n${notes}` : '');
}
