// The sandbox's layout inside (where the upstream namespace, the named namespaces, the tutor's bin
// and bashrc live) and how to run a command in one of its namespaces, for a script and as a person
// types it. Pure; the one place that spells these paths (world/sandbox/init-script.ts creates them).
// Lives in domain/ because checks' and diagnose's messages name these paths and domain/ may not
// import world/.
import { quoteForShell } from './shell-quote.js';
import type { NamespaceKind } from './snapshot/snapshot.js';

/** The sandbox's own files (a tmpfs private to it). */
export const TUTOR_DIR = '/run/tutor';
/** The upstream namespace (the simulated internet): a bind mount, not under /run/netns, so
 *  `ip netns list` shows only the learner's namespaces. */
export const UPSTREAM_NETNS_FILE = `${TUTOR_DIR}/upstream`;
/** The tutor's commands (netns-tutor, the tcpdump wrapper), first on the sandbox's PATH. */
export const TUTOR_BIN_DIR = `${TUTOR_DIR}/bin`;
/** The rc file every interactive shell of the sandbox reads. */
export const TUTOR_BASHRC = `${TUTOR_DIR}/bashrc`;
/** Where `ip netns add NAME` puts the file that names a namespace. */
export const NAMED_NETNS_DIR = '/run/netns';

/** What lessons, faults and the command line call the upstream namespace (the learner's word). */
export const UPSTREAM_NAME = 'internet';

/** A namespace of the sandbox: its kind and the name people use for it. */
export interface NamespaceRef {
  kind: NamespaceKind;
  name: string;
}

/** The namespace a name from a lesson or the command line means: 'host', 'internet', or a named one. */
export function namespaceRef(name: string): NamespaceRef {
  return { kind: name === 'host' ? 'host' : name === UPSTREAM_NAME ? 'upstream' : 'named', name };
}

/** Whether `name` can be a named namespace (what `ip netns add` accepts and no shell word splits). */
export function isNamespaceName(name: string): boolean {
  return /^[\w.-]+$/.test(name) && name !== '.' && name !== '..';
}

/** The file that names the namespace; undefined for the sandbox's own (host) namespace. */
export function namespaceFile(ns: NamespaceRef): string | undefined {
  if (ns.kind === 'host') return undefined;
  return ns.kind === 'upstream' ? UPSTREAM_NETNS_FILE : `${NAMED_NETNS_DIR}/${ns.name}`;
}

/** For scripts: the words (ending in a space) that run a command in the namespace, quoted; '' on
 *  the host. nsenter rather than `ip netns exec`: no remount of /sys, one process less. */
export function enterPrefix(ns: NamespaceRef): string {
  const file = namespaceFile(ns);
  return file === undefined ? '' : `nsenter --net=${quoteForShell(file)} `;
}

/** For scripts: `ip` run in the namespace (`ip -n` enters a named one itself: no nsenter). */
export function ipCommandIn(ns: NamespaceRef): string {
  return ns.kind === 'named' ? `ip -n ${quoteForShell(ns.name)}` : `${enterPrefix(ns)}ip`;
}

/** As a person types it: `command` run in the namespace (`ip netns exec NAME` in a named one). */
export function runIn(ns: NamespaceRef, command: string): string {
  if (ns.kind === 'host') return command;
  if (ns.kind === 'upstream') return `nsenter --net=${UPSTREAM_NETNS_FILE} ${command}`;
  return `ip netns exec ${ns.name} ${command}`;
}

/** As a person types it: `ip ARGS` run in the namespace. */
export function ipIn(ns: NamespaceRef, args: string): string {
  return ns.kind === 'named' ? `ip -n ${ns.name} ${args}` : runIn(ns, `ip ${args}`);
}
