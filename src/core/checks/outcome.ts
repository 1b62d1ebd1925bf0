// The small vocabulary every check evaluator speaks: holds / does not hold / cannot tell, each with
// the state line that shows it; and finding the namespace a check reads.
import type { NamespaceState, Snapshot } from '../snapshot.js';

export interface Outcome {
  status: 'pass' | 'fail' | 'error';
  evidence?: string;
  /** Replaces the check's own message (used for 'error': why it could not be evaluated). */
  message?: string;
}

export const pass = (evidence?: string): Outcome => (evidence !== undefined ? { status: 'pass', evidence } : { status: 'pass' });
export const fail = (evidence?: string): Outcome => (evidence !== undefined ? { status: 'fail', evidence } : { status: 'fail' });
export const cannotTell = (message: string, evidence?: string): Outcome =>
  evidence !== undefined ? { status: 'error', message, evidence } : { status: 'error', message };

/** pass when `holds`, else fail; the evidence either way. */
export const holdsWhen = (holds: boolean, evidence?: string): Outcome => (holds ? pass(evidence) : fail(evidence));

export function findNamespace(snapshot: Snapshot, name: string): NamespaceState | undefined {
  if (name === 'host') return snapshot.namespaces.find((n) => n.kind === 'host');
  if (name === 'internet') return snapshot.namespaces.find((n) => n.kind === 'upstream');
  return snapshot.namespaces.find((n) => n.kind === 'named' && n.name === name);
}

export function namedNamespaces(snapshot: Snapshot): string[] {
  return snapshot.namespaces.filter((n) => n.kind === 'named').map((n) => n.name);
}

/** The fail outcome for a check whose namespace does not exist. */
export function missingNamespace(snapshot: Snapshot, name: string): Outcome {
  if (name === 'internet') return cannotTell('There is no simulated internet in this world (no /run/tutor/upstream).');
  const list = namedNamespaces(snapshot);
  return fail(`no namespace ${name} (ip netns list: ${list.length ? list.join(', ') : 'empty'})`);
}
