// The active probes (reachability by ping, TCP connect or HTTP GET; shell checks; sysctls the
// snapshot does not carry): what is asked and the one result type checks and diagnose both read,
// keyed by the request they answer.
import type { Check } from '../lesson/types.js';

export type ProbeRequest =
  /** `silence`: the check expects no answer. Inside a sandbox an answer takes microseconds, so
   *  the wait for one that never comes can be short; a check expecting an answer waits longer,
   *  so a loaded machine never turns a late answer into a failure. */
  | { kind: 'reach'; from: string; to: string; port?: number; http?: { path: string }; silence?: true }
  | { kind: 'shell'; script: string }
  | { kind: 'sysctl'; in: string; name: string };

/** How a probe ended. 'ok': reached / exit 0 / read. The others say why not ('no-source': the
 *  namespace to probe from does not exist). */
export type ProbeOutcome = 'ok' | 'no-reply' | 'refused' | 'unreachable' | 'timed-out' | 'failed' | 'skipped' | 'error' | 'no-source';

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** One line for people: "ping 198.51.100.10 from fox: no reply within 250 ms" (`tried: why`). */
  detail: string;
  /** Reachability probes: what was tried ("ping 198.51.100.10 from fox") and the command that
   *  tries it as a person types it ("ip netns exec fox ping -c1 -W 0.25 198.51.100.10"). */
  tried?: string;
  command?: string;
  /** The HTTP body, the shell output, or the sysctl value. */
  output?: string;
  durationMs: number;
}

export type ProbeResults = Readonly<Record<string, ProbeResult>>;

/** The result alone, without what was tried: "no reply within 250 ms", "connected". */
export function probeWhy(r: ProbeResult): string {
  return r.tried !== undefined && r.detail.startsWith(`${r.tried}: `) ? r.detail.slice(r.tried.length + 2) : r.detail;
}

export function probeKey(req: ProbeRequest): string {
  switch (req.kind) {
    case 'reach':
      return `reach ${req.from} ${req.to}${req.port !== undefined ? `:${req.port}` : ''}${req.http ? ` http ${req.http.path}` : ''}${req.silence ? ' silence' : ''}`;
    case 'shell':
      return `shell ${req.script}`;
    case 'sysctl':
      return `sysctl ${req.in} ${req.name}`;
  }
}

export function reachRequestOf(check: Extract<Check, { kind: 'reach' }>): Extract<ProbeRequest, { kind: 'reach' }> {
  return {
    kind: 'reach',
    from: check.from,
    to: check.reach,
    ...(check.port !== undefined ? { port: check.port } : {}),
    ...(check.http ? { http: { path: check.http.path } } : {}),
    ...(check.fails ? { silence: true as const } : {}),
  };
}
