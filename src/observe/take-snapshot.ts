// takeSnapshot: reads the whole network world wherever `runner` runs, in one runner call.
import { BugError } from '../errors.js';
import type { CommandRunner } from '../exec/types.js';
import type { Snapshot } from '../core/snapshot.js';
import { parseSnapshot } from './parse-snapshot.js';
import { buildSnapshotScript } from './snapshot-script.js';

export interface SnapshotOptions {
  /** Absolute paths of files to read as well (Snapshot.files; null when absent). */
  files?: string[];
  /** Read conntrack tables too (Snapshot conntrack; ~5 ms per namespace that tracks anything). */
  conntrack?: boolean;
  /** Read native nftables too (Snapshot nftables; one nft process per namespace read in depth,
   *  ~1 ms each). The diagnoser asks for it; checks and the map do not need it. */
  nft?: boolean;
  /** Read sysctls, iptables, conntrack and sockets only in these namespaces ("host" for the host); the
   *  others get their links, addresses, routes and neighbours alone (one `ip` each, no shell in
   *  them). For callers that know what they will look at, like a step's checks. Default: all. */
  deepIn?: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function takeSnapshot(runner: CommandRunner, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const script = buildSnapshotScript(opts.files ?? [], { conntrack: opts.conntrack ?? false, nft: opts.nft ?? false, ...(opts.deepIn ? { deepIn: opts.deepIn } : {}) });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const result = await runner.run(script, {
    timeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (result.outcome !== 'exited' || !result.stdout.includes('\x1ens host ')) {
    // the reason, even when the script said nothing (killed at the timeout, on a busy machine)
    const detail = result.stderr.trim().slice(0, 500) || (result.outcome === 'timed-out' ? `no answer within ${timeoutMs / 1000} s (the machine may be busy)` : 'nothing on stderr');
    throw new BugError(`could not read the network state in ${runner.where} (${result.outcome}, exit ${result.exitCode}): ${detail}`);
  }
  return parseSnapshot(result.stdout);
}
