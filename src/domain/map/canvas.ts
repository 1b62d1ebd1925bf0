// A character grid for the map: text, and wire cells drawn by the directions they join, so
// crossings and corners come out as the right box-drawing character. Pure.

export type Dir = 'up' | 'down' | 'left' | 'right';
const BIT: Record<Dir, number> = { up: 1, down: 2, left: 4, right: 8 };
// index: up|down|left|right bits
const GLYPH: Record<number, string> = {
  1: '│', 2: '│', 3: '│', 4: '─', 8: '─', 12: '─',
  9: '└', 5: '┘', 10: '┌', 6: '┐',
  11: '├', 7: '┤', 14: '┬', 13: '┴', 15: '┼',
};
const DASHED: Record<number, string> = { 1: '╎', 2: '╎', 3: '╎', 4: '╌', 8: '╌', 12: '╌' };

export class Canvas {
  private rows: string[][] = [];
  private wires = new Map<string, { mask: number; dashed: boolean }>();

  constructor(readonly width: number) {}

  get height(): number {
    return this.rows.length;
  }

  private row(y: number): string[] {
    while (this.rows.length <= y) this.rows.push(Array.from({ length: this.width }, () => ' '));
    return this.rows[y]!;
  }

  text(x: number, y: number, s: string): void {
    const row = this.row(y);
    [...s].forEach((c, i) => {
      if (x + i >= 0 && x + i < this.width) row[x + i] = c;
    });
  }

  /** Joins the cell towards the given directions (adds to what is there). */
  wire(x: number, y: number, dirs: Dir[], dashed = false): void {
    this.row(y);
    const key = `${x},${y}`;
    const cell = this.wires.get(key) ?? { mask: 0, dashed: true };
    for (const d of dirs) cell.mask |= BIT[d];
    cell.dashed = cell.dashed && dashed;
    this.wires.set(key, cell);
  }

  /** A vertical run from y0 to y1 inclusive, open at both ends. */
  vertical(x: number, y0: number, y1: number, dashed = false): void {
    for (let y = y0; y <= y1; y++) this.wire(x, y, ['up', 'down'], dashed);
  }

  lines(): string[] {
    for (const [key, cell] of this.wires) {
      const [x, y] = key.split(',').map(Number) as [number, number];
      const glyph = (cell.dashed ? DASHED[cell.mask] : undefined) ?? GLYPH[cell.mask] ?? '┼';
      if (x >= 0 && x < this.width) this.row(y)[x] = glyph;
    }
    this.wires.clear();
    return this.rows.map((r) => r.join('').trimEnd());
  }
}
