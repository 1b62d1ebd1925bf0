// A second look when the probe failed and the walk's answer is doubtful (no fault on paper, or
// "no route" / "nothing listens" / "no way back" at a namespace that may only be where the packet
// ended up, not where it went wrong): a down link that holds the destination's subnet, and chains
// that drifted from a sibling node's. Pure.
import type { Snapshot } from '../snapshot.js';
import { ipIn } from './commands.js';
import { inCidr } from './ipv4.js';
import { siblingDriftFault } from './sibling-drift.js';
import type { Fault, Hop } from './types.js';
import { linkLine } from './world.js';

/** Faults whose namespace may be where the packet ended up rather than where it went wrong. */
const DOUBTFUL = new Set(['no-route', 'not-listening', 'no-route-back', 'no-default-route', 'forward-policy']);

export function isDoubtful(fault: Fault | undefined): boolean {
  return !fault || DOUBTFUL.has(fault.kind);
}

/** A link that is down and has an address whose subnet holds one of `addresses`. */
function downLinkHolding(snapshot: Snapshot, addresses: readonly string[]): Fault | undefined {
  for (const ns of snapshot.namespaces) {
    for (const link of ns.links) {
      if (link.adminUp || link.type === 'loopback') continue;
      const a = ns.addresses.find((x) => x.dev === link.name && x.family === 'inet' && addresses.some((d) => inCidr(d, `${x.address}/${x.prefixlen}`)));
      if (!a) continue;
      return {
        kind: 'link-down',
        namespace: ns.name,
        what: `${link.name} in ${ns.name} is down, and it holds ${a.address}/${a.prefixlen}, the subnet of ${addresses.find((d) => inCidr(d, `${a.address}/${a.prefixlen}`))}: with it down, its route is gone and nothing is delivered there.`,
        evidence: [{ command: ipIn(ns, `-br link show ${link.name}`), line: linkLine(link) }],
        fix: [ipIn(ns, `link set ${link.name} up`)],
      };
    }
  }
  return undefined;
}

export function secondLook(snapshot: Snapshot, path: ReadonlyArray<Hop & { direction: 'there' | 'back' }>, destinations: readonly string[], fault: Fault | undefined): Fault | undefined {
  if (!isDoubtful(fault)) return undefined;
  const along = [...new Set(path.filter((h) => h.direction === 'there').map((h) => h.namespace))];
  if (fault && !along.includes(fault.namespace)) along.push(fault.namespace);
  return downLinkHolding(snapshot, destinations) ?? siblingDriftFault(snapshot, along);
}
