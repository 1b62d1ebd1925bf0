// The rooms of src/ (docs/architecture.md), read from the import statements themselves: every file
// lives in a room, imports only the rooms below it, and no two folders import each other (a folder
// cycle means the two are one room, or one of them holds code that belongs elsewhere). ESLint holds
// the same rules file by file while editing (eslint.config.js); this test is the whole-graph view.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const MAY_IMPORT: Record<string, readonly string[]> = {
  domain: ['domain'],
  world: ['domain', 'world'],
  app: ['domain', 'world', 'app'],
  tui: ['domain', 'app', 'tui'],
  cli: ['domain', 'world', 'app', 'tui', 'cli'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every relative import (static, dynamic or type-only) as [importing file, imported file]. */
function importEdges(files: readonly string[]): Array<[string, string]> {
  return files.flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(
      (m): [string, string] => [file, relative(ROOT, resolve(ROOT, dirname(file), m[1]!))],
    ),
  );
}

const roomOf = (file: string) => file.split('/')[1]!;

/** Folders that reach each other through imports, as "a -> b" for each edge that closes a cycle. */
export function folderCycles(edges: ReadonlyArray<[string, string]>): string[] {
  const next = new Map<string, Set<string>>();
  for (const [from, to] of edges) {
    const [a, b] = [dirname(from), dirname(to)];
    if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    from === to || (!seen.has(from) && (seen.add(from), [...(next.get(from) ?? [])].some((n) => reaches(n, to, seen))));
  return [...next].flatMap(([a, bs]) => [...bs].filter((b) => reaches(b, a)).map((b) => `${a} -> ${b}`));
}

describe('the rooms of src/', () => {
  const files = sourceFiles('src');
  const edges = importEdges(files);

  it('has every file in one of the rooms', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => !(roomOf(f) in MAY_IMPORT))).toEqual([]);
  });

  it('imports only the rooms each room may use', () => {
    expect(edges.length).toBeGreaterThan(300);
    const wrong = edges.filter(([from, to]) => !MAY_IMPORT[roomOf(from)]!.includes(roomOf(to))).map(([from, to]) => `${from} imports ${to}`);
    expect(wrong).toEqual([]);
  });

  it('has no two folders that import each other, in src/ or bench/', () => {
    expect(folderCycles(edges)).toEqual([]);
    // bench/ is one folder: its cycles are between files
    const bench = importEdges(sourceFiles('bench')).filter(([, to]) => to.startsWith('bench/'));
    const fileCycles = bench.filter(([a, b]) => bench.some(([c, d]) => c === b && d === a));
    expect(fileCycles).toEqual([]);
  });

  it('finds a cycle where there is one (the check itself)', () => {
    expect(folderCycles([['src/a/x.ts', 'src/b/y.ts'], ['src/b/z.ts', 'src/a/w.ts']])).toEqual(['src/a -> src/b', 'src/b -> src/a']);
    expect(folderCycles([['src/a/x.ts', 'src/b/y.ts'], ['src/b/z.ts', 'src/c/w.ts']])).toEqual([]);
  });
});
