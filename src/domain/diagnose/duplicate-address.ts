// One address in two namespaces that meet: both answer ARP for it, a namespace that has it keeps
// the packets to it (replies too) for itself, and drops packets from it (a martian source) and the
// ARP requests they need. Says where both copies are and which to take
// away: the one that is an extra address on its device, not the device's own first or only one;
// when both are a device's own, the one not in the namespace the diagnosis starts from moves to a
// free address of the subnet. Pure.
import type { Address, NamespaceState } from '../snapshot/snapshot.js';
import { ipIn } from './commands.js';
import { formatIpv4, parseIpv4 } from './ipv4.js';
import type { Fault } from './types.js';
import type { Walk } from './walk-state.js';
import { addressLine, ipv4Addresses } from './world.js';

interface Holder {
  ns: NamespaceState;
  a: Address;
}

/** What the duplicate did to this packet: a namespace kept replies meant for another; it dropped
 *  a packet from that address as a martian (its own address as the source, from outside); two
 *  answer one sender's ARP requests. */
export type DuplicateEffect = { keptBy: NamespaceState; meantFor: NamespaceState } | { droppedBy: NamespaceState; iif: string } | { arpFrom: NamespaceState };

function holdersOf(w: Walk, address: string): Holder[] {
  return w.snapshot.namespaces.flatMap((ns) => ipv4Addresses(ns).filter((a) => a.address === address && a.scope !== 'host').map((a) => ({ ns, a })));
}

/** An address of the subnet that no namespace has (highest first, as gateways usually take .1). */
function freeAddress(w: Walk, address: string, prefixlen: number): string | undefined {
  const base = parseIpv4(address);
  if (base === undefined || prefixlen > 30) return undefined;
  const size = 2 ** (32 - prefixlen);
  const network = base - (base % size);
  const taken = new Set(w.snapshot.namespaces.flatMap((ns) => ns.addresses.map((a) => a.address)));
  for (let n = network + size - 2; n > network; n--) {
    const candidate = formatIpv4(n);
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}

function isOwn(h: Holder): boolean {
  return ipv4Addresses(h.ns, h.a.dev)[0]?.address === h.a.address;
}

function effectWords(address: string, effect: DuplicateEffect, holders: Holder[]): string {
  if ('keptBy' in effect) return `${effect.keptBy.name} takes the replies to ${address} for its own, so they never reach ${effect.meantFor.name}`;
  if ('droppedBy' in effect) {
    const others = holders.filter((h) => h.ns !== effect.droppedBy).map((h) => h.ns.name).join(', ');
    return `${effect.droppedBy.name} drops what comes in on ${effect.iif} from ${address}, its own address (a martian source), and does not answer ARP requests from it either, so nothing ${others} sends from ${address} gets an answer`;
  }
  return `both answer ${effect.arpFrom.name}'s ARP requests for it, so its frames go to whichever answered last`;
}

/** `after`: commands that make the fix work at once (a flush of an unanswered neighbour entry). */
export function duplicateAddressFault(w: Walk, address: string, effect: DuplicateEffect, after: string[] = []): Fault | undefined {
  const holders = holdersOf(w, address);
  if (new Set(holders.map((h) => h.ns.name)).size < 2) return undefined;
  const extra = holders.filter((h) => !isOwn(h));
  // the copy the packet's own side has stays, when nothing else tells them apart
  const keep = 'meantFor' in effect ? effect.meantFor : 'arpFrom' in effect ? effect.arpFrom : holders.find((h) => h.ns !== effect.droppedBy)?.ns;
  // an extra copy beside a device's own address goes; else the copy outside the starting point moves
  const remove = extra.length > 0 && extra.length < holders.length ? extra : holders.filter((h) => h.ns !== keep).slice(0, 1);
  const moving = remove.length > 0 && remove.every(isOwn);
  const where = holders.map((h) => `${h.ns.name}'s ${h.a.dev}`).join(' and ');
  const fix = remove.flatMap((h) => {
    const del = ipIn(h.ns, `addr del ${h.a.address}/${h.a.prefixlen} dev ${h.a.dev}`);
    if (!moving) return [del];
    const free = freeAddress(w, h.a.address, h.a.prefixlen);
    return free ? [del, ipIn(h.ns, `addr add ${free}/${h.a.prefixlen} dev ${h.a.dev}`)] : [del, `# then give ${h.ns.name}'s ${h.a.dev} an address no one else has`];
  });
  const why = moving
    ? `; it is the only address of each, so one of them needs another (here: ${remove.map((h) => h.ns.name).join(', ')})`
    : remove.length
      ? `; in ${remove.map((h) => h.ns.name).join(' and ')} it is an extra address beside ${remove.map((h) => ipv4Addresses(h.ns, h.a.dev)[0]?.address).join(', ')}`
      : '';
  return {
    kind: 'duplicate-address',
    namespace: (remove[0] ?? holders[0]!).ns.name,
    what: `${address} is on ${where} at once: ${effectWords(address, effect, holders)}${why}.`,
    evidence: holders.map((h) => ({ command: ipIn(h.ns, `-br addr show ${h.a.dev}`), line: addressLine(h.ns, h.a.dev) })),
    fix: [...fix, ...after],
  };
}
