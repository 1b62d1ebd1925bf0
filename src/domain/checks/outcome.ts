// The small vocabulary every check evaluator speaks: holds / does not hold / cannot tell, each with
// the state line that shows it; and finding the namespace a check reads, including the ways a
// namespace can be missing or not be one.
import type { NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import { NAMED_NETNS_DIR, namespaceFile, UPSTREAM_NAME, UPSTREAM_NETNS_FILE } from '../sandbox-layout.js';

export interface Outcome {
  status: 'pass' | 'fail' | 'error';
  evidence?: string;
  /** Replaces the check's own message: why it could not be evaluated ('error'), or, for 'fail',
   *  a sentence that is true where the check's own would not be (its link or namespace is not
   *  there at all, or not what the sentence assumes). */
  message?: string;
}

export const pass = (evidence?: string): Outcome => (evidence !== undefined ? { status: 'pass', evidence } : { status: 'pass' });
export const fail = (evidence?: string): Outcome => (evidence !== undefined ? { status: 'fail', evidence } : { status: 'fail' });
export const cannotTell = (message: string, evidence?: string): Outcome =>
  evidence !== undefined ? { status: 'error', message, evidence } : { status: 'error', message };
/** A failure whose sentence is the engine's, because the check's own assumes a state that does not hold. */
export const failSaying = (message: string, evidence: string): Outcome => ({ status: 'fail', message, evidence });

/** pass when `holds`, else fail; the evidence either way. */
export const holdsWhen = (holds: boolean, evidence?: string): Outcome => (holds ? pass(evidence) : fail(evidence));

export function findNamespace(snapshot: Snapshot, name: string): NamespaceState | undefined {
  if (name === 'host') return snapshot.namespaces.find((n) => n.kind === 'host');
  if (name === UPSTREAM_NAME) return snapshot.namespaces.find((n) => n.kind === 'upstream');
  return snapshot.namespaces.find((n) => n.kind === 'named' && n.name === name);
}

export function namedNamespaces(snapshot: Snapshot): string[] {
  return snapshot.namespaces.filter((n) => n.kind === 'named').map((n) => n.name);
}

/** 'readable': read as a namespace. 'not-a-namespace': listed (its file is in /run/netns) but no
 *  namespace is behind it. 'not-allowed': this user may not enter it, so nobody can tell. */
export type NamespaceHealth = 'readable' | 'not-a-namespace' | 'not-allowed';

export function namespaceHealth(snapshot: Snapshot, ns: NamespaceState): NamespaceHealth {
  if (ns.error === undefined) return 'readable';
  if (/Permission denied|Operation not permitted/i.test(ns.error)) return 'not-allowed';
  // setns() on a file that is not a namespace: EINVAL
  if (/Invalid argument|not a namespace/i.test(ns.error)) return 'not-a-namespace';
  // Inside a sandbox we are root over every namespace in it, so one that cannot be entered is
  // not a namespace (a namespace read without a shell in it reports only that `ip` failed).
  return snapshot.world === 'sandbox' ? 'not-a-namespace' : 'not-allowed';
}

/** The sentence for a name in /run/netns that is not a namespace, with the way out. */
export function notANamespaceMessage(name: string): string {
  return (
    `${NAMED_NETNS_DIR}/${name} exists, but it is not a network namespace: it is a plain file (\`ip netns add\` run inside ` +
    `\`ip netns exec\` leaves one behind, and so does \`touch\`). From the host shell (\`exit\` any \`ip netns exec ... bash\` ` +
    `first): \`ip netns del ${name} && ip netns add ${name}\`.`
  );
}

/** `ip netns list` as evidence; names that are not namespaces are marked. */
export function describeNamespaceList(snapshot: Snapshot): string {
  const named = snapshot.namespaces.filter((n) => n.kind === 'named');
  const names = named.map((n) => (namespaceHealth(snapshot, n) === 'not-a-namespace' ? `${n.name} (not a namespace)` : n.name));
  return `ip netns list: ${names.length ? names.join(', ') : 'empty'}`;
}

/** The outcome for any check reading a namespace that cannot be read: undefined when it can. */
export function unreadableNamespace(snapshot: Snapshot, ns: NamespaceState): Outcome | undefined {
  const health = namespaceHealth(snapshot, ns);
  if (health === 'readable') return undefined;
  const evidence = `${ns.name}: ${namespaceFile(ns) ?? 'its namespace'} cannot be entered (${ns.error ?? 'unknown error'})`;
  if (health === 'not-allowed' || ns.kind !== 'named') return cannotTell(`The namespace ${ns.name} cannot be read here: ${ns.error ?? 'unknown error'}.`, evidence);
  return failSaying(notANamespaceMessage(ns.name), evidence);
}

/** The fail outcome for a check whose namespace does not exist. Its own sentence is about a
 *  link, an address... in that namespace, which says nothing true when there is no namespace. */
export function missingNamespace(snapshot: Snapshot, name: string): Outcome {
  if (name === UPSTREAM_NAME) return cannotTell(`There is no simulated internet in this world (no ${UPSTREAM_NETNS_FILE}).`);
  const list = namedNamespaces(snapshot);
  return failSaying(`There is no network namespace ${name}.`, `no namespace ${name} (ip netns list: ${list.length ? list.join(', ') : 'empty'})`);
}
