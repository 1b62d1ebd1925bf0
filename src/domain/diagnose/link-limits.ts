// What a link itself refuses: ARP switched off (NOARP) on the interface that must ask for the next
// hop's MAC or answer for it, and an MTU smaller than the packet (a veth end or a bridge port drops
// a frame larger than its MTU; a router drops a packet with DF set that does not fit its way out,
// while a packet made in the namespace is fragmented to fit). Pure.
import type { Link, NamespaceState } from '../snapshot/snapshot.js';
import { flushUnanswered, ipIn } from './commands.js';
import type { Packet } from './match-packet.js';
import type { Fault } from './types.js';
import { linkLine, type End } from './world.js';

/** A device's frames may carry this many bytes beyond its MTU (a VLAN tag): the kernel's slack
 *  when a veth or a bridge port takes a frame. */
const L2_SLACK = 4;

function noArp(link: Link): boolean {
  return link.flags.includes('NOARP');
}

/** A neighbour entry set by hand: no ARP is needed on either side for it. */
function staticEntry(from: NamespaceState, oif: string, nextHop: string) {
  return from.neighbours.find((n) => n.address === nextHop && n.dev === oif && n.lladdr && n.state.includes('PERMANENT'));
}

function arpOffFault(end: End, what: string, extra: Fault['evidence'] = [], after: string[] = []): Fault {
  return {
    kind: 'arp-off',
    namespace: end.ns.name,
    what,
    evidence: [{ command: ipIn(end.ns, `-br link show ${end.link.name}`), line: linkLine(end.link) }, ...extra],
    fix: [ipIn(end.ns, `link set ${end.link.name} arp on`), ...after],
  };
}

/** The sender's own interface has ARP off: it never learns the next hop's MAC. */
export function senderArpFault(sender: End, nextHop: string): Fault | undefined {
  if (!noArp(sender.link) || staticEntry(sender.ns, sender.link.name, nextHop)) return undefined;
  return arpOffFault(
    sender,
    `ARP is off on ${sender.link.name} in ${sender.ns.name} (NOARP), so ${sender.ns.name} never asks for ${nextHop}'s MAC address and sends its frames to its own MAC instead, where nothing takes them.`,
  );
}

/** The next hop's interface has ARP off: it does not answer the sender's requests. */
export function ownerArpFault(sender: End, nextHop: string, owner: End): Fault | undefined {
  if (!noArp(owner.link) || staticEntry(sender.ns, sender.link.name, nextHop)) return undefined;
  const n = sender.ns.neighbours.find((x) => x.address === nextHop && x.dev === sender.link.name);
  const seen = n ? [{ command: ipIn(sender.ns, `neigh show ${nextHop}`), line: `${nextHop} dev ${n.dev} ${n.lladdr ? `lladdr ${n.lladdr} ` : ''}${n.state.join(' ')}` }] : [];
  return arpOffFault(
    owner,
    `ARP is off on ${owner.link.name} in ${owner.ns.name} (NOARP), so it does not answer ${sender.ns.name}'s ARP requests for ${nextHop}, and ${sender.ns.name} cannot send to it.`,
    seen,
    flushUnanswered(sender.ns, nextHop, sender.link.name),
  );
}

function mtuLine(link: Link): string {
  return `${linkLine(link)} mtu ${link.mtu}`;
}

function mtuFault(end: End, what: string, to: number): Fault {
  return {
    kind: 'mtu-too-small',
    namespace: end.ns.name,
    what,
    evidence: [{ command: ipIn(end.ns, `link show ${end.link.name}`), line: mtuLine(end.link) }],
    fix: [ipIn(end.ns, `link set ${end.link.name} mtu ${to}`)],
  };
}

function packetWords(p: Packet): string {
  return `${p.bytes}-byte ${p.protocol === 'tcp' ? 'TCP segment' : 'ping packet'}`;
}

/** The MTU to suggest for a link: its peer's (or the bridge's) when that is larger, else 1500. */
function betterMtu(mtus: number[]): number {
  return Math.max(1500, ...mtus);
}

/** A veth end or a bridge port takes (or sends on) a frame larger than its MTU: dropped. `from`
 *  says where the frame comes from; `bridge` is set for a bridge's egress port. */
export function frameMtuFault(end: End, p: Packet, from: string, others: number[], bridge?: string): Fault | undefined {
  if (!p.bytes || !end.link.mtu || p.bytes <= end.link.mtu + L2_SLACK) return undefined;
  const who = bridge ? `The bridge port ${end.link.name} in ${end.ns.name}` : `${end.link.name} in ${end.ns.name}`;
  const drops = bridge ? `so ${bridge} drops the frame` : 'so the kernel drops the frame';
  return mtuFault(end, `${who} has MTU ${end.link.mtu}, smaller than the ${packetWords(p)} coming from ${from}, ${drops}.`, betterMtu(others));
}

/** The way out of `ns`: a packet made here is fragmented to fit; one forwarded with DF set that does
 *  not fit is dropped (the router answers "fragmentation needed"). Fragmenting changes `p`. */
export function sendMtuFault(ns: NamespaceState, link: Link, p: Packet, madeHere: boolean, others: number[]): Fault | undefined {
  if (!p.bytes || !link.mtu || p.bytes <= link.mtu) return undefined;
  if (madeHere || !p.df) {
    p.bytes = link.mtu;
    p.df = false;
    return undefined;
  }
  return mtuFault(
    { ns, link },
    `${link.name} in ${ns.name} has MTU ${link.mtu}, smaller than the ${packetWords(p)} it should forward, which must not be fragmented (DF), so ${ns.name} drops it and answers "fragmentation needed".`,
    betterMtu(others),
  );
}
