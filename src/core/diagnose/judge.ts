// judgeReachability: the diagnosis from a snapshot, the walk over it and the probe's outcome.
// The probe is the truth about reachability; the walk explains it (and names the fault). Pure.
import type { Snapshot } from '../snapshot.js';
import type { Diagnosis, ProbeOutcome, Target } from './types.js';
import { walkPath } from './walk.js';

export function judgeReachability(snapshot: Snapshot, from: string, to: Target, probe?: ProbeOutcome): Diagnosis {
  const walk = walkPath(snapshot, from, to);
  const notes = [...walk.notes];
  if (walk.stopped) notes.push(`The walk stopped: ${walk.stopped}.`);
  const base = { from, to, path: walk.path, ...(probe ? { probe } : {}) };
  if (probe?.ok) {
    if (walk.fault) notes.push(`The walk expected trouble at ${walk.fault.namespace} (${walk.fault.what}) but the probe got through.`);
    return { ...base, verdict: 'reachable', notes };
  }
  if (walk.fault) return { ...base, verdict: 'unreachable', fault: walk.fault, notes };
  if (probe && walk.passed) {
    notes.push(
      'Every hop passes on paper, yet the probe failed: something the snapshot does not show is in the way (nftables rules, policy routing, a firewall or a server that does not answer).',
    );
    return { ...base, verdict: 'unreachable', notes };
  }
  if (!probe) return { ...base, verdict: walk.passed ? 'reachable' : 'unknown', notes };
  return { ...base, verdict: 'unreachable', notes };
}
