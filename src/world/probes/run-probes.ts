// Runs probes in one runner call (all in parallel inside the world) and keys the results for the
// pure evaluation; the entry point of the one probe stack for checks, diagnose and drills.
import { probeKey, type ProbeRequest, type ProbeResult, type ProbeResults } from '../../domain/checks/probe-types.js';
import type { CommandRunner } from '../exec/types.js';
import { batchProbeScript, parseBatchOutput, type ProbeOptions } from './probe-scripts.js';

export type { ProbeOptions } from './probe-scripts.js';

/** Shell checks may take a moment; reachability probes are bounded far below this. */
const BATCH_TIMEOUT_MS = 10_000;

export interface RunProbesOptions extends ProbeOptions {
  signal?: AbortSignal;
}

export async function runProbes(runner: CommandRunner, reqs: readonly ProbeRequest[], options: RunProbesOptions = {}): Promise<ProbeResults> {
  if (reqs.length === 0) return {};
  const { signal, ...probeOptions } = options;
  const r = await runner.run(batchProbeScript(reqs, probeOptions), { timeoutMs: BATCH_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  const parsed = parseBatchOutput(reqs, r.stdout);
  const out: Record<string, ProbeResult> = {};
  reqs.forEach((req, i) => {
    out[probeKey(req)] = parsed[i] ?? {
      outcome: 'error',
      detail: r.outcome === 'timed-out' ? `the probe did not finish within ${BATCH_TIMEOUT_MS / 1000} s` : `the probe printed nothing (${r.outcome}, exit ${r.exitCode})`,
      durationMs: r.durationMs,
    };
  });
  return out;
}

/** A ping (no port) or a TCP connect from namespace `from` (a name as people use it: 'host',
 *  'internet', or a named one): the probe of a path, for diagnose and drills. */
export function pathProbe(from: string, to: { address: string; port?: number }): Extract<ProbeRequest, { kind: 'reach' }> {
  return { kind: 'reach', from, to: to.address, ...(to.port !== undefined ? { port: to.port } : {}) };
}

/** Probes each path (one runner call for all), in order. */
export async function probePaths(runner: CommandRunner, paths: ReadonlyArray<{ from: string; to: { address: string; port?: number } }>, options: RunProbesOptions = {}): Promise<ProbeResult[]> {
  const reqs = paths.map((p) => pathProbe(p.from, p.to));
  const results = await runProbes(runner, reqs, options);
  return reqs.map((req) => results[probeKey(req)]!);
}
