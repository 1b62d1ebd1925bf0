// The commands a diagnosis shows (to see the evidence, and to fix it), spelt for the namespace
// they concern: plain on the host, `ip -n NS` / `ip netns exec NS` in a named one. Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { ipIn } from '../sandbox-layout.js';

type Where = Pick<NamespaceState, 'name' | 'kind'>;

// how to run a command in a namespace is the sandbox layout's to say
export { ipIn, runIn } from '../sandbox-layout.js';

/** `ip neigh flush` for an entry ARP left unanswered (INCOMPLETE or FAILED): the kernel asks again
 *  only after a second or so; flushed, the next packet asks at once. Empty when there is none. */
export function flushUnanswered(ns: Where & Pick<NamespaceState, 'neighbours'>, address: string, dev: string): string[] {
  const n = ns.neighbours.find((x) => x.address === address && x.dev === dev);
  return n && n.state.some((s) => s === 'INCOMPLETE' || s === 'FAILED') ? [ipIn(ns, `neigh flush ${address} dev ${dev}`)] : [];
}
