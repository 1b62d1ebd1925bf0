// The commands a diagnosis shows (to see the evidence, and to fix it), spelt for the namespace
// they concern: plain on the host, `ip -n NS` / `ip netns exec NS` in a named one. Pure.
import type { NamespaceState } from '../snapshot.js';

type Where = Pick<NamespaceState, 'name' | 'kind'>;

/** `ip ARGS` run in the namespace. */
export function ipIn(ns: Where, args: string): string {
  if (ns.kind === 'host') return `ip ${args}`;
  if (ns.kind === 'upstream') return `nsenter --net=/run/tutor/upstream ip ${args}`;
  return `ip -n ${ns.name} ${args}`;
}

/** Any other command run in the namespace. */
export function runIn(ns: Where, command: string): string {
  if (ns.kind === 'host') return command;
  if (ns.kind === 'upstream') return `nsenter --net=/run/tutor/upstream ${command}`;
  return `ip netns exec ${ns.name} ${command}`;
}
