// walkPath: follows one packet from a namespace to an address and its reply back, hop by hop
// over the snapshot, as the kernel would: raw/mangle, nat OUTPUT/PREROUTING, a source address of
// its own from outside (a martian), the routing decision (policy rules, then tables), local
// delivery (lo, INPUT, a listening socket, an answered ping), forwarding (ip_forward, rp_filter,
// FORWARD), nat POSTROUTING, the way out's MTU, then the link
// (veth ends, bridge, port, ARP, the next hop's owner); at each hook the iptables chains in the
// kernel's table order, then native nftables chains. The first hop that cannot pass is the fault.
// Pure.
import type { NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import { flushUnanswered, ipIn, runIn } from './commands.js';
import { explainNoRoute, leakToUpstreamFault } from './explain-no-route.js';
import { isPrivate } from './ipv4.js';
import { AFTER_FILTER, BEFORE_FILTER, BEFORE_NAT, inputDropFault, forwardDropFault, outputDropFault, tablesDropFault } from './filter-faults.js';
import { crossLink } from './link-layer.js';
import { sendMtuFault } from './link-limits.js';
import { decideRoute } from './route-faults.js';
import { forwardingOffFault, rpFilterFault } from './forwarding-faults.js';
import { deliveryFault } from './local-delivery.js';
import { duplicateAddressFault } from './duplicate-address.js';
import { martianSourceFault } from './martian-source.js';
import { snatToNowhere } from './snat-target.js';
import { runChain, type Packet, type PacketContext } from './match-packet.js';
import type { Fault, Hop, Target } from './types.js';
import { contextFor, type Direction, type NatEntry, type StepResult, type Suspect, type Walk } from './walk-state.js';
import { nftFilterFault, nftNat } from './nft-hooks.js';
import { notrackFault } from './notrack.js';
import { dnatTo, dnatToClosedPort } from './dnat-target.js';
import { applyDnat, applySnat, undoNat } from './walk-nat.js';
import { findLink, findNamespace, ipv4Addresses, isLocal, linkLine, listens, lookupRoute, peerOf, routeLine, sourceAddress, type RouteChoice } from './world.js';

/** ping's echo request (20 bytes IP, 8 ICMP, 56 data), a TCP SYN with its options. */
const PROBE_BYTES = { icmp: 84, tcp: 60 } as const;

export interface WalkResult {
  path: Walk['path'];
  fault?: Fault;
  /** The walk could not go on (an unreadable namespace, a link type it does not follow). */
  stopped?: string;
  notes: string[];
  /** Both ways passed. */
  passed: boolean;
  /** Chains that may stop the packet, though the walk cannot tell (see Suspect). */
  suspects: Suspect[];
  nat: NatEntry[];
  /** The source address the packet left with (before any SNAT); '' when none was chosen. */
  source: string;
}

const MAX_HOPS = 24;


/** A hop being walked: the namespace, the packet, which way, and the hop record being filled. */
interface Here {
  w: Walk;
  ns: NamespaceState;
  iif: string | undefined;
  p: Packet;
  dir: Direction;
  hop: Hop;
}

type Faulted = { fault: Fault } | undefined;
const faulted = (fault: Fault | undefined): Faulted => (fault ? { fault } : undefined);

/** nat OUTPUT or PREROUTING on the way there: a DNAT (iptables first, then nft) applied to the
 *  packet, unless a NOTRACK rule keeps it from conntrack and so from NAT. */
function destinationNat(h: Here, chain: 'OUTPUT' | 'PREROUTING', ctx: PacketContext, out: string): Faulted {
  const { w, ns, p, hop } = h;
  const v = runChain(ns.iptables, 'nat', chain, p, ctx);
  const nft = v.verdict === 'DNAT' ? undefined : nftNat(w, ns, chain === 'OUTPUT' ? 'output' : 'prerouting', p, ctx);
  const at = { chain, in: h.iif ?? '', out };
  const untracked = notrackFault(ns, chain, p, ctx, v.verdict === 'DNAT' && v.rule ? v.rule.text : (nft?.rule.text ?? ''));
  if (untracked && (v.verdict === 'DNAT' || nft)) return { fault: untracked };
  if (v.verdict === 'DNAT' && v.rule) applyDnat(w, ns, p, v.to, v.rule.text, hop, at);
  else if (nft) applyDnat(w, ns, p, nft.to, nft.rule.text, hop, at, nft.rule);
  return undefined;
}

/** Made here: a source address, then raw/mangle and nat OUTPUT (there) and filter OUTPUT. */
function madeHere(h: Here): Faulted | StepResult {
  const { w, ns, p, dir } = h;
  let out = 'lo';
  if (!isLocal(ns, p.dst)) {
    let decided = decideRoute(w, ns, p, undefined);
    if ('none' in decided) return { fault: explainNoRoute(w, ns, p, dir, dir === 'back' ? routerBefore(w, ns.name) : undefined) };
    if ('fault' in decided) return decided;
    if (!p.src) {
      const src = sourceAddress(ns, decided.choice);
      if (!src) return { fault: explainNoRoute(w, ns, p, dir) };
      p.src = src;
      // the kernel looks again with the source it chose: a rule `from` it may match now
      if (ns.rules) decided = decideRoute(w, ns, p, undefined);
      if ('none' in decided) return { fault: explainNoRoute(w, ns, p, dir) };
      if ('fault' in decided) return decided;
    }
    out = decided.choice.dev;
  } else if (!p.src) p.src = p.dst;
  const ctx = contextFor(ns, dir, undefined, out);
  const early = tablesDropFault(ns, BEFORE_NAT.OUTPUT, p, ctx);
  if (early) return { fault: early };
  const nat = dir === 'there' ? destinationNat(h, 'OUTPUT', ctx, out) : undefined;
  if (nat) return nat;
  const f = runChain(ns.iptables, 'filter', 'OUTPUT', p, ctx);
  return faulted(outputDropFault(ns, f, p, out) ?? tablesDropFault(ns, AFTER_FILTER.OUTPUT, p, ctx) ?? nftFilterFault(w, ns, 'output', p, ctx));
}

/** Arrived on `iif`: ingress, raw/mangle, a martian source, NAT (done or undone), nft prerouting,
 *  the reverse path filter. */
function arrived(h: Here, iif: string): Faulted {
  const { w, ns, p, dir, hop } = h;
  const ctx = contextFor(ns, dir, iif, undefined);
  // netdev ingress chains on the device it came in by see it first of all
  const ingress = nftFilterFault(w, ns, 'ingress', p, ctx, ['netdev', 'inet'], ` as it arrives on ${iif} (the chain hooks that device's ingress)`);
  // an ingress drop also ate ARP on that device: the entries it left unanswered (both ends)
  // would hold the next packet for a second after the fix, so the fix flushes them
  if (ingress) return { fault: { ...ingress, fix: [...ingress.fix, ...unansweredOn(w, ns, iif)] } };
  // raw and mangle see it before any NAT (or its undoing)
  const early = tablesDropFault(ns, BEFORE_NAT.PREROUTING, p, ctx);
  if (early) return { fault: early };
  // its own address as the source (the source as it came: un-DNAT of a reply is done later)
  const martian = martianSourceFault(w, ns, iif, p, dir);
  if (martian) return { fault: martian };
  if (dir === 'back') undoNat(w, ns, p, hop);
  else {
    const nat = destinationNat(h, 'PREROUTING', ctx, '');
    if (nat) return nat;
  }
  // then nft's prerouting filters, and the reverse path filter: is the way back to the source
  // through the interface it came in by?
  return faulted(nftFilterFault(w, ns, 'prerouting', p, ctx) ?? rpFilterFault(ns, iif, p));
}

/** For one of this namespace's own addresses: lo must be up for what it sends itself, INPUT must
 *  let in what arrives, and something must listen. */
function deliverHere(h: Here, record: (action: string) => void): StepResult {
  const { w, ns, iif, p, dir } = h;
  const lo = findLink(ns, 'lo');
  if (iif === undefined && lo && !lo.adminUp) {
    return {
      fault: {
        kind: 'lo-down',
        namespace: ns.name,
        what: `lo is down in ${ns.name}, and packets to ${ns.name}'s own addresses travel over lo, so even ${p.dst} does not answer.`,
        evidence: [{ command: ipIn(ns, '-br link show lo'), line: linkLine(lo) }],
        fix: [ipIn(ns, 'link set lo up')],
      },
    };
  }
  if (iif !== undefined) {
    const ctx = contextFor(ns, dir, iif, undefined);
    const v = runChain(ns.iptables, 'filter', 'INPUT', p, ctx);
    const fault = tablesDropFault(ns, BEFORE_FILTER.INPUT, p, ctx) ?? inputDropFault(ns, v, p, iif, dir === 'back') ?? tablesDropFault(ns, AFTER_FILTER.INPUT, p, ctx) ?? nftFilterFault(w, ns, 'input', p, ctx);
    if (fault) return { fault };
  }
  const fault = dir === 'there' ? deliveryFault(w, ns, p, iif) : undefined;
  if (fault) return { fault };
  record(`delivered to ${p.dst}${p.dport !== undefined && dir === 'there' ? `:${p.dport}` : ''} (local)`);
  return { delivered: ns };
}

/** Routed on by this namespace: forwarding on, a route, FORWARD, nat POSTROUTING (there), nft
 *  postrouting, the MTU of the way out; then across the link to the next namespace. */
function sendOn(h: Here, record: (action: string) => void): StepResult {
  const { w, ns, iif, p, dir, hop } = h;
  if (iif !== undefined) {
    const off = forwardingOffFault(w, ns, iif, p, dir);
    if (off) return { fault: off };
  }
  const decided = decideRoute(w, ns, p, iif);
  if ('none' in decided) return { fault: explainNoRoute(w, ns, p, dir, dir === 'back' ? routerBefore(w, ns.name) : undefined) };
  if ('fault' in decided) return decided;
  const choice = decided.choice;
  if (iif !== undefined) {
    const ctx = contextFor(ns, dir, iif, choice.dev);
    const v = runChain(ns.iptables, 'filter', 'FORWARD', p, ctx);
    const fault =
      tablesDropFault(ns, BEFORE_FILTER.FORWARD, p, ctx) ??
      forwardDropFault(ns, v, p, iif, choice.dev, false, ctx) ??
      tablesDropFault(ns, AFTER_FILTER.FORWARD, p, ctx) ??
      nftFilterFault(w, ns, 'forward', p, ctx);
    // a firewall that lets the published port through only to where a server listens: a DNAT to
    // a closed port is dropped here, and the DNAT is what is wrong
    if (fault) return { fault: (dir === 'there' && closedPortDnat(w, p)) || fault };
  }
  const postCtx = contextFor(ns, dir, iif, choice.dev);
  const mangled = tablesDropFault(ns, BEFORE_NAT.POSTROUTING, p, postCtx);
  if (mangled) return { fault: mangled };
  if (dir === 'there') {
    const v = runChain(ns.iptables, 'nat', 'POSTROUTING', p, postCtx);
    const nft = v.verdict === 'MASQUERADE' || v.verdict === 'SNAT' ? undefined : nftNat(w, ns, 'postrouting', p, postCtx);
    if ((v.verdict === 'MASQUERADE' || v.verdict === 'SNAT') && v.rule) applySnat(w, ns, p, v.verdict, v.to, choice, v.rule.text, hop);
    else if (nft) applySnat(w, ns, p, nft.target, nft.to, choice, nft.rule.text, hop, nft.rule);
  }
  const post = nftFilterFault(w, ns, 'postrouting', p, postCtx);
  if (post) return { fault: post };
  // the way out must fit it (a packet made here is fragmented instead)
  const outLink = findLink(ns, choice.dev);
  const peerMtu = (outLink && peerOf(w.snapshot, { ns, link: outLink })?.link.mtu) ?? 0;
  const tooBig = outLink && sendMtuFault(ns, outLink, p, iif === undefined, [peerMtu]);
  if (tooBig) return { fault: tooBig };
  hop.out = choice.dev;
  if (choice.route.gateway) hop.via = choice.route.gateway;
  record(iif === undefined ? 'sent' : 'routed');
  return crossTo(h, choice);
}

/** Across the link to the next namespace (bridges on the way recorded as hops). */
function crossTo(h: Here, choice: RouteChoice): StepResult {
  const { w, ns, p, dir } = h;
  const crossing = crossLink(w, ns, choice.dev, choice.nextHop, p, dir);
  // whatever blocked the link also left the sender's ARP unanswered: a runnable fix flushes that
  // entry too, so the next packet asks again at once rather than a second later
  const blocked = 'fault' in crossing.result ? crossing.result.fault : undefined;
  if (blocked && !blocked.fix.some((f) => f.startsWith('#'))) blocked.fix.push(...flushUnanswered(ns, choice.nextHop, choice.dev).filter((f) => !blocked.fix.includes(f)));
  const next = 'next' in crossing.result ? crossing.result.next : undefined;
  if (next && next.ns.kind === 'upstream' && ns.kind !== 'upstream' && choice.route.dst === 'default' && isPrivate(p.dst) && !isLocal(next.ns, p.dst)) {
    return { fault: leakToUpstreamFault(w, ns, p, choice.dev) };
  }
  for (const b of crossing.bridged) {
    if (b.ns !== ns.name || b.in !== '(local)') w.path.push({ namespace: b.ns, in: b.in, ...(b.out ? { out: b.out } : {}), action: `bridged by ${b.bridge}`, direction: dir });
  }
  return crossing.result;
}

/** One namespace: the packet arrives (or starts) here; returns where it goes next. The parts
 *  follow the kernel's hooks in order: made here or arrived, then delivered here or sent on. */
function step(w: Walk, ns: NamespaceState, iif: string | undefined, p: Packet, dir: Direction): StepResult {
  if (ns.error) return { unknown: `${ns.name} could not be read (${ns.error})` };
  const h: Here = { w, ns, iif, p, dir, hop: { namespace: ns.name, ...(iif ? { in: iif } : {}), action: '' } };
  const record = (action: string) => {
    h.hop.action = action;
    w.path.push({ ...h.hop, direction: dir });
  };
  const early = iif === undefined ? madeHere(h) : arrived(h, iif);
  if (early) return early;
  return isLocal(ns, p.dst) ? deliverHere(h, record) : sendOn(h, record);
}

/** `ip neigh flush` for the entries left unanswered on both ends of dev. */
function unansweredOn(w: Walk, ns: NamespaceState, dev: string): string[] {
  const link = findLink(ns, dev);
  const far = link && link.type === 'veth' ? peerOf(w.snapshot, { ns, link }) : undefined;
  const ends = [{ ns, dev }, ...(far ? [{ ns: far.ns, dev: far.link.name }] : [])];
  return ends.flatMap((e) => e.ns.neighbours.filter((n) => n.dev === e.dev).flatMap((n) => flushUnanswered(e.ns, n.address, e.dev)));
}

/** The DNAT on the way sent p to a port its target does not listen on, while it listens on one. */
function closedPortDnat(w: Walk, p: Packet): Fault | undefined {
  if (p.dport === undefined) return undefined;
  const e = dnatTo(w, p.dst, p.dport);
  const owner = e && w.snapshot.namespaces.find((n) => n.kind !== 'upstream' && isLocal(n, p.dst));
  if (!e || !owner || listens(owner, p.dst, p.dport)) return undefined;
  return dnatToClosedPort(w, e, owner, p.dport, []);
}

/** Moves the packet until it is delivered, stopped, or blocked. */
function travel(w: Walk, start: NamespaceState, p: Packet, dir: Direction): { delivered?: NamespaceState; fault?: Fault; stopped?: string } {
  let ns = start;
  let iif: string | undefined;
  for (let i = 0; i < MAX_HOPS; i++) {
    const r = step(w, ns, iif, p, dir);
    if ('fault' in r) return { fault: r.fault };
    if ('unknown' in r) return { stopped: r.unknown };
    if ('delivered' in r) return { delivered: r.delivered };
    ns = r.next.ns;
    iif = r.next.iif;
  }
  return {
    fault: {
      kind: 'loop',
      namespace: ns.name,
      what: `The packet loops: after ${MAX_HOPS} hops it is still travelling (${w.path.slice(-4).map((h) => h.namespace).join(' -> ')}).`,
      evidence: [{ command: ipIn(ns, `route get ${p.dst}`), line: lookupRoute(ns, p.dst)?.route ? routeLine(lookupRoute(ns, p.dst)!.route) : '?' }],
      fix: ['# one of these routers sends it back where it came from: check their routes'],
    },
  };
}

/** The namespace that routed the packet into `at` on the way there (for the fix of a missing way
 *  back: a route via its address, or NAT on it). */
function routerBefore(w: Walk, at: string): { ns: NamespaceState; iif: string; address?: string } | undefined {
  const there = w.path.filter((h) => h.direction === 'there');
  const i = there.findIndex((h) => h.namespace === at && h.action !== 'sent' && !h.action.startsWith('bridged'));
  const last = there.slice(0, i < 0 ? there.length : i).filter((h) => h.action === 'routed' || h.action === 'sent').pop();
  if (!last) return undefined;
  const ns = findNamespace(w.snapshot, last.namespace);
  if (!ns) return undefined;
  return { ns, iif: last.in ?? '', address: last.out ? ipv4Addresses(ns, last.out)[0]?.address : undefined };
}

export function walkPath(snapshot: Snapshot, from: string, to: Target): WalkResult {
  const source = findNamespace(snapshot, from);
  if (!source) throw new Error(`no namespace ${from} in the snapshot`);
  const protocol = to.port === undefined ? 'icmp' : 'tcp';
  const p: Packet = { src: '', dst: to.address, protocol, ...(to.port !== undefined ? { sport: 40000, dport: to.port } : {}), bytes: PROBE_BYTES[protocol], df: true };
  const w: Walk = { snapshot, source, original: p, nat: [], path: [], notes: [], suspects: [] };
  const packet = { ...p };
  const there = travel(w, source, packet, 'there');
  // the source address as the source chose it, before any SNAT on the way
  w.original = { ...p, src: w.nat.find((e) => e.kind === 'snat')?.before.address ?? packet.src };
  const result = (extra: Partial<WalkResult>): WalkResult => ({ path: w.path, notes: w.notes, suspects: w.suspects, passed: false, nat: w.nat, source: w.original.src, ...extra });
  if (there.fault) return result({ fault: there.fault });
  if (there.stopped || !there.delivered) return result({ stopped: there.stopped ?? 'the walk lost the packet' });
  // the reply: from what was reached, to the (translated) source
  // the reply is as large as the request (an echo reply has no DF: the kernel fragments it)
  const reply: Packet = {
    src: packet.dst,
    dst: packet.src,
    protocol: packet.protocol,
    ...(packet.dport !== undefined ? { sport: packet.dport, dport: packet.sport ?? 40000 } : {}),
    bytes: PROBE_BYTES[packet.protocol],
    df: packet.protocol === 'tcp',
  };
  const dest = there.delivered;
  const back = travelBack(w, dest, reply);
  if (back.fault) return result({ fault: back.fault });
  if (back.stopped || !back.delivered) return result({ stopped: back.stopped ?? 'the walk lost the reply' });
  if (back.delivered.name !== source.name || reply.dst !== w.original.src) {
    // an SNAT to an address another namespace has, or the source's address there too
    const astray =
      snatToNowhere(w, reply.dst, { holder: back.delivered }) ??
      (reply.dst === w.original.src ? duplicateAddressFault(w, reply.dst, { keptBy: back.delivered, meantFor: source }) : undefined);
    if (astray) return result({ fault: astray });
    return result({
      fault: {
        kind: 'reply-astray',
        namespace: back.delivered.name,
        what: `Replies to ${w.original.src} end up in ${back.delivered.name} as ${reply.dst}, not in ${source.name}.`,
        evidence: [],
        fix: ['# check the routes and NAT between them'],
      },
    });
  }
  return result({ passed: true });
}

function travelBack(w: Walk, dest: NamespaceState, reply: Packet): { delivered?: NamespaceState; fault?: Fault; stopped?: string } {
  const r = travel(w, dest, reply, 'back');
  return r.fault?.kind === 'loop' ? { stopped: 'the reply loops' } : r;
}
