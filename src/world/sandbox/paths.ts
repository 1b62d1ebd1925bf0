// Where netns-tutor's own files are, found from this module's location (works from src/ under
// vitest and from the bundled dist/cli.js alike).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'assets'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('netns-tutor: cannot find the package root (package.json beside assets/)');
}

export const packageRoot = findRoot();
export const upstreamServerPath = resolve(packageRoot, 'assets/upstream-server.mjs');
export const upstreamServerPerlPath = resolve(packageRoot, 'assets/upstream-server.pl');
// a directory: python3 runs its __main__.py
export const packetWatchPath = resolve(packageRoot, 'assets/packet-watch');
export const cliEntryPath = resolve(packageRoot, 'bin/netns-tutor.js');
export const lessonsDir = resolve(packageRoot, 'lessons');
// stand-ins for newuidmap/newgidmap with which root's sandbox maps root to an unprivileged range
export const idMapperDir = resolve(packageRoot, 'assets/idmap');
