// judgeReachability: the diagnosis from a snapshot, the walk over it and the probe's outcome.
// The probe is the truth about reachability; the walk explains it (and names the fault). Pure.
import type { Snapshot } from '../snapshot/snapshot.js';
import type { Diagnosis, Target } from './types.js';
import type { ProbeResult } from '../checks/probe-types.js';
import type { Suspect } from './walk-state.js';
import { walkPath } from './walk.js';
import { secondLook } from './second-look.js';

function describeSuspect(s: Suspect): string {
  return `the nft chain ${s.chain} in ${s.namespace}: ${s.why}`;
}

/** What the snapshot could not read, said before the usual suspects. */
function unread(snapshot: Snapshot): string {
  const nft = snapshot.namespaces.some((n) => n.nftables) ? '' : 'nftables rules, which could not be read here; ';
  const rules = snapshot.namespaces.some((n) => n.rules) ? 'routing rules on firewall marks; ' : 'policy routing, which could not be read here; ';
  return nft + rules;
}

export function judgeReachability(snapshot: Snapshot, from: string, to: Target, probe?: ProbeResult): Diagnosis {
  const walk = walkPath(snapshot, from, to);
  const notes = [...walk.notes];
  if (walk.stopped) notes.push(`The walk stopped: ${walk.stopped}.`);
  const base = { from, to, path: walk.path, ...(probe ? { probe } : {}) };
  const suspects = walk.suspects.map(describeSuspect);
  if (probe?.outcome === 'ok') {
    if (walk.fault) notes.push(`The walk expected trouble at ${walk.fault.namespace} (${walk.fault.what}) but the probe got through.`);
    return { ...base, verdict: 'reachable', notes };
  }
  const better = probe ? secondLook(snapshot, walk.path, [to.address, ...walk.nat.filter((e) => e.kind === 'dnat').map((e) => e.after.address)], walk.fault, walk.source) : undefined;
  if (better) {
    if (walk.fault) notes.push(`The walk alone would have said: ${walk.fault.what}`);
    return { ...base, verdict: 'unreachable', fault: better, notes };
  }
  if (walk.fault) {
    if (suspects.length) notes.push(`Earlier on the way, this may also stop it: ${suspects.join('; ')}.`);
    return { ...base, verdict: 'unreachable', fault: walk.fault, notes };
  }
  if (probe && walk.passed) {
    notes.push(
      suspects.length
        ? `Every hop passes on paper, yet the probe failed. The likely cause: ${suspects.join('; ')}.`
        : `Every hop passes on paper, yet the probe failed: something the snapshot does not show is in the way (${unread(snapshot)}a firewall outside these namespaces or a server that does not answer).`,
    );
    return { ...base, verdict: 'unreachable', notes };
  }
  if (!probe) {
    if (suspects.length) notes.push(`It may be stopped by ${suspects.join('; ')}.`);
    return { ...base, verdict: walk.passed && !suspects.length ? 'reachable' : 'unknown', notes };
  }
  return { ...base, verdict: 'unreachable', notes };
}
