// HTTP probes at most once per command. A GET that gets its answer writes a line in the learner's
// server log (python's http.server prints it on the learner's terminal), and the tutor re-checks
// the step after every command and again every 2 s while the learner reads (issue 12: one curl of
// the learner's, then 3-6 lines of the tutor's). So an answered GET is remembered until the next
// command (forget()); a re-check meanwhile sends only a TCP connect to the same address and port,
// which no server logs (no request is sent), and takes the remembered answer while it connects.
// A GET that failed to connect left no line and is simply sent again.
import { probeKey, type ProbeRequest, type ProbeResult, type ProbeResults } from '../../domain/checks/probe-types.js';
import type { CommandRunner } from '../exec/types.js';
import { runProbes, type RunProbesOptions } from './run-probes.js';

type ReachRequest = Extract<ProbeRequest, { kind: 'reach' }>;

export interface ProbeMemo {
  /** A command ran: what the server answers may have changed. */
  forget(): void;
  /** Answered GETs, by probeKey. */
  readonly answered: Map<string, ProbeResult>;
}

export function createProbeMemo(): ProbeMemo {
  const answered = new Map<string, ProbeResult>();
  return { answered, forget: () => answered.clear() };
}

/** The trace-free stand-in for an HTTP probe: a TCP connect to its address and port. */
function connectOnly(req: ReachRequest): ReachRequest {
  return { kind: 'reach', from: req.from, to: req.to, port: req.port ?? 80 };
}

/** runProbes, sending no GET the memo has an answer for while its server still accepts. */
export async function runProbesRemembering(runner: CommandRunner, reqs: readonly ProbeRequest[], memo: ProbeMemo, options: RunProbesOptions = {}): Promise<ProbeResults> {
  const remembered = new Map<string, ReachRequest>();
  const sent = reqs.map((req) => {
    if (req.kind !== 'reach' || !req.http || !memo.answered.has(probeKey(req))) return req;
    const stand = connectOnly(req);
    remembered.set(probeKey(req), stand);
    return stand;
  });
  const got = await runProbes(runner, [...new Map(sent.map((r) => [probeKey(r), r])).values()], options);
  const out: Record<string, ProbeResult> = {};
  const again: ProbeRequest[] = [];
  for (const req of reqs) {
    const key = probeKey(req);
    const stand = remembered.get(key);
    if (stand === undefined) out[key] = got[key]!;
    else if (got[probeKey(stand)]?.outcome === 'ok') out[key] = memo.answered.get(key)!;
    else again.push(req);
  }
  // the server stopped accepting: the GET again (it fails to connect, so it leaves no line)
  if (again.length > 0) Object.assign(out, await runProbes(runner, again, options));
  for (const req of reqs) {
    if (req.kind !== 'reach' || !req.http) continue;
    const key = probeKey(req);
    if (out[key]?.outcome === 'ok') memo.answered.set(key, out[key]);
    else memo.answered.delete(key);
  }
  return out;
}
