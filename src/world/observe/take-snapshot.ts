// takeSnapshot: reads the network world wherever `runner` runs, in one runner call: every
// namespace, up to a bound (a pool of parallel reads, a cap on how many), and says what it left out.
import { BugError } from '../../domain/errors.js';
import type { CommandRunner } from '../exec/types.js';
import type { Snapshot } from '../../domain/snapshot/snapshot.js';
import { parseSnapshot } from '../../domain/snapshot/parse-snapshot.js';
import { buildSnapshotScript, SNAPSHOT_MAX_NAMESPACES } from './snapshot-script.js';

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
  /** Namespaces read whatever the cap on how many a snapshot reads (SNAPSHOT_MAX_NAMESPACES):
   *  those a caller will look at, so a namespace left out is never mistaken for one that is gone. */
  include?: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function takeSnapshot(runner: CommandRunner, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const script = buildSnapshotScript(opts.files ?? [], {
    conntrack: opts.conntrack ?? false,
    nft: opts.nft ?? false,
    ...(opts.deepIn ? { deepIn: opts.deepIn } : {}),
    ...(opts.include ? { include: opts.include } : {}),
  });
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

/** A sentence for a snapshot that left namespaces out (more exist than one snapshot reads), or
 *  undefined when it read them all. */
export function unreadNote(snapshot: Snapshot): string | undefined {
  const n = snapshot.unreadNamespaces;
  if (!n) return undefined;
  return `${n} more network namespace${n === 1 ? '' : 's'} exist${n === 1 ? 's' : ''} than one snapshot reads (${SNAPSHOT_MAX_NAMESPACES} named ones at most): ${n === 1 ? 'it is' : 'they are'} left out here. Remove the ones you no longer need (ip netns del NAME).`;
}
