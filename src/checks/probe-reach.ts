// probeReach: one reachability probe (ICMP, TCP connect or HTTP GET) from a namespace of the world
// `runner` runs in, with short timeouts. Refuses to send anything outside a netns-tutor sandbox.
import type { ProbeRequest, ProbeResult } from '../core/checks/probe-types.js';
import type { CommandRunner } from '../exec/types.js';
import { HTTP_TIMEOUT_S, interpretProbe, probeScript } from './probe-scripts.js';

export type { ProbeResult } from '../core/checks/probe-types.js';

export interface ReachTarget {
  /** 'host' (default), a namespace from `ip netns list`, or 'internet'. */
  from?: string;
  to: string;
  /** TCP port; omit for ICMP. */
  port?: number;
  /** HTTP GET of this path (port defaults to 80). */
  http?: { path?: string };
}

export function reachRequest(target: ReachTarget): Extract<ProbeRequest, { kind: 'reach' }> {
  const port = target.port ?? (target.http ? 80 : undefined);
  return {
    kind: 'reach',
    from: target.from ?? 'host',
    to: target.to,
    ...(port !== undefined ? { port } : {}),
    ...(target.http ? { http: { path: target.http.path ?? '/' } } : {}),
  };
}

export async function probeReach(runner: CommandRunner, target: ReachTarget, signal?: AbortSignal): Promise<ProbeResult> {
  const req = reachRequest(target);
  const r = await runner.run(probeScript(req), { timeoutMs: (HTTP_TIMEOUT_S + 2) * 1000, ...(signal ? { signal } : {}) });
  if (r.outcome !== 'exited') return { outcome: 'error', detail: `the probe did not finish (${r.outcome})`, durationMs: r.durationMs };
  return interpretProbe(req, r.exitCode, r.stdout + r.stderr, r.durationMs);
}
