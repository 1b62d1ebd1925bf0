// Runs every probe a step needs in one runner call (all in parallel inside the world) and keys the
// results for the pure evaluation.
import { probeKey, type ProbeRequest, type ProbeResults } from '../../domain/checks/probe-types.js';
import type { CommandRunner } from '../exec/types.js';
import { batchProbeScript, parseBatchOutput } from './probe-scripts.js';

/** Shell checks may take a moment; reachability probes are bounded far below this. */
const BATCH_TIMEOUT_MS = 10_000;

export async function runProbes(runner: CommandRunner, reqs: readonly ProbeRequest[], signal?: AbortSignal): Promise<ProbeResults> {
  if (reqs.length === 0) return {};
  const r = await runner.run(batchProbeScript(reqs), { timeoutMs: BATCH_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  const parsed = parseBatchOutput(reqs, r.stdout);
  const out: Record<string, ProbeResults[string]> = {};
  reqs.forEach((req, i) => {
    out[probeKey(req)] = parsed[i] ?? {
      outcome: 'error',
      detail: r.outcome === 'timed-out' ? `the probe did not finish within ${BATCH_TIMEOUT_MS / 1000} s` : `the probe printed nothing (${r.outcome}, exit ${r.exitCode})`,
      durationMs: r.durationMs,
    };
  });
  return out;
}
