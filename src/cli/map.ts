// `netns-tutor map [--json] [--width N]`: the topology of the network world this process runs in
// (inside a sandbox, that sandbox; elsewhere this machine, read-only).
import { AbortError } from '../domain/errors.js';
import { createLocalRunner } from '../world/exec/runner.js';
import { takeSnapshot, unreadNote } from '../world/observe/take-snapshot.js';
import { buildTopology } from '../domain/map/build-topology.js';
import { renderMap } from '../domain/map/render-map.js';

export function parseWidth(width: number | undefined, columns: number | undefined): number {
  if (width === undefined) return columns && columns > 0 ? columns : 100;
  if (!Number.isInteger(width) || width < 20 || width > 1000) {
    throw new AbortError(`--width must be a whole number of columns from 20 to 1000, not ${String(width)}.`);
  }
  return width;
}

export async function runMap(opts: { json?: boolean; width?: number }): Promise<number> {
  const width = parseWidth(opts.width, process.stdout.columns);
  const snapshot = await takeSnapshot(createLocalRunner(process.env.NETNS_TUTOR_SANDBOX ? 'this sandbox' : 'this host'));
  const out = opts.json ? `${JSON.stringify(buildTopology(snapshot), null, 2)}\n` : renderMap(snapshot, width);
  process.stdout.write(out);
  const note = unreadNote(snapshot);
  if (note) process.stderr.write(`${note}\n`);
  return 0;
}
