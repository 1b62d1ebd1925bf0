// Crossing a link: from a namespace out of one interface to whoever owns the next hop's address
// on that link (or answers for it by proxy ARP) — across a veth, through a bridge and its port,
// checking each end's state and MTU, the bridge, the port state, nft bridge-family chains, (with
// br_netfilter) the bridging namespace's ip hooks, ARP on both ends, two namespaces answering for
// one address, and the sender's neighbour entry. Pure.
import type { Link, NamespaceState } from '../snapshot/snapshot.js';
import { flushUnanswered, ipIn, runIn } from './commands.js';
import { runChain, type Packet } from './match-packet.js';
import { contextFor, type Direction, type StepResult, type Walk } from './walk-state.js';
import type { Fault } from './types.js';
import { findLink, findNamespace, ipv4Addresses, linkLine, lookupRoute, peerOf, type End } from './world.js';
import { forwardDropFault, tablesDropFault } from './filter-faults.js';
import { frameMtuFault, ownerArpFault, senderArpFault } from './link-limits.js';
import { nftFilterFault } from './nft-hooks.js';
import { neighbourMismatch, nextHopMissing } from './next-hop.js';
import { duplicateAddressFault } from './duplicate-address.js';

function linkDownFault(end: End, why: string): StepResult {
  return {
    fault: {
      kind: 'link-down',
      namespace: end.ns.name,
      what: `${end.link.name} in ${end.ns.name} is down${why}.`,
      evidence: [{ command: ipIn(end.ns, `-br link show ${end.link.name}`), line: linkLine(end.link) }],
      fix: [ipIn(end.ns, `link set ${end.link.name} up`)],
    },
  };
}

/** Endpoints a frame sent into bridge `bridge` can reach through its ports (one level of bridge
 *  through veth into another bridge is followed too). */
function portsOf(ns: NamespaceState, bridge: string): Link[] {
  return ns.links.filter((l) => l.master === bridge);
}

function owns(end: End, address: string): boolean {
  return ipv4Addresses(end.ns, end.link.name).some((a) => a.address === address);
}

/** proxy_arp: the kernel answers ARP for an address it would forward out of another device. */
function answersByProxy(end: End, address: string): boolean {
  const dev = end.link.name.replace(/\./g, '/');
  const on = (key: string) => end.ns.sysctls[`net.ipv4.conf.${key}`] === '1';
  if (!on(`${dev}.proxy_arp`) && !on('all.proxy_arp')) return false;
  if (end.ns.sysctls['net.ipv4.ip_forward'] !== '1' || end.ns.sysctls[`net.ipv4.conf.${dev}.forwarding`] === '0') return false;
  const route = lookupRoute(end.ns, address);
  return route?.dev !== undefined && route.dev !== end.link.name;
}

export interface Crossing {
  result: StepResult;
  /** Namespaces that bridged the frame on the way, for the path. */
  bridged: Array<{ ns: string; bridge: string; in: string; out?: string }>;
}

/** Everything reachable at layer 2 from `start` (which sends), with the obstacles found first. */
export function crossLink(w: Walk, from: NamespaceState, oif: string, nextHop: string, p: Packet, dir: Direction): Crossing {
  const bridged: Crossing['bridged'] = [];
  const start = findLink(from, oif);
  if (!start) return { result: { unknown: `${oif} is not in ${from.name}` }, bridged };
  const sender: End = { ns: from, link: start };
  if (!start.adminUp) return { result: linkDownFault(sender, ''), bridged };

  // candidates: [end, how to reach it]; obstacles are checked only on the way to the owner
  type Candidate = { end: End; check: () => StepResult | undefined };
  const candidates: Candidate[] = [];
  const seenBridges = new Set<string>();

  const addBridge = (ns: NamespaceState, bridge: Link, entry: Link | undefined, before: () => StepResult | undefined) => {
    const key = `${ns.name}/${bridge.name}`;
    if (seenBridges.has(key)) return;
    seenBridges.add(key);
    const bridgeChecks = (): StepResult | undefined => {
      const b = before();
      if (b) return b;
      if (!bridge.adminUp) {
        return {
          fault: {
            kind: 'bridge-down',
            namespace: ns.name,
            what: `The bridge ${bridge.name} in ${ns.name} is down, so it passes no frames.`,
            evidence: [{ command: ipIn(ns, `-br link show ${bridge.name}`), line: linkLine(bridge) }],
            // the sender's ARP went unanswered meanwhile: flushed, it asks again at once
            fix: [ipIn(ns, `link set ${bridge.name} up`), ...flushUnanswered(from, nextHop, oif)],
          },
        };
      }
      if (entry && entry.portState && !['forwarding', 'learning'].includes(entry.portState) && entry.adminUp) {
        return portFault(w, ns, entry);
      }
      return undefined;
    };
    // the bridge device itself (its own addresses: the gateway, usually); nft bridge-family input
    // chains see the frames it takes in
    if (entry) {
      const toBridge = () => bridgeChecks() ?? faultOf(nftFilterFault(w, ns, 'input', p, contextFor(ns, dir, entry.name, ''), ['bridge'], ' (a bridge-family chain: it sees the frames the bridge takes in)'));
      candidates.push({ end: { ns, link: bridge }, check: toBridge });
    }
    for (const port of portsOf(ns, bridge.name)) {
      if (entry && port.name === entry.name) continue;
      const portChecks = (): StepResult | undefined => {
        const b = bridgeChecks();
        if (b) return b;
        if (!port.adminUp) return linkDownFault({ ns, link: port }, `, and it is the bridge port towards ${port.peer?.namespace ?? 'the next hop'}`);
        if (port.portState && !['forwarding', 'learning'].includes(port.portState)) return portFault(w, ns, port);
        const big = frameMtuFault({ ns, link: port }, p, entry ? `${ns.name}'s ${entry.name}` : `${ns.name}'s ${bridge.name}`, [bridge.mtu], bridge.name);
        if (big) return { fault: big };
        if (!entry) return undefined;
        // bridged between two ports: nft bridge-family forward chains see every such frame
        const l2 = nftFilterFault(w, ns, 'forward', p, contextFor(ns, dir, entry.name, port.name), ['bridge'], ' (a bridge-family chain: it sees every frame the bridge forwards)');
        if (l2) return { fault: l2 };
        // and with br_netfilter, the frame passes this namespace's FORWARD (iptables and nft)
        if (ns.sysctls['net.bridge.bridge-nf-call-iptables'] === '1') {
          const ctx = contextFor(ns, dir, bridge.name, bridge.name);
          const v = runChain(ns.iptables, 'filter', 'FORWARD', p, ctx);
          const f =
            tablesDropFault(ns, BRIDGED_BEFORE, p, ctx, BR_NETFILTER) ??
            forwardDropFault(ns, v, p, bridge.name, bridge.name, true) ??
            tablesDropFault(ns, BRIDGED_AFTER, p, ctx, BR_NETFILTER) ??
            nftFilterFault(w, ns, 'forward', p, ctx, undefined, BR_NETFILTER);
          if (f) return { fault: f };
        }
        return undefined;
      };
      // an address on a port itself is never reached: the bridge takes the port's frames
      candidates.push({ end: { ns, link: port }, check: () => portAddressFault(ns, port, bridge, nextHop) });
      const far = peerOf(w.snapshot, { ns, link: port });
      if (far) {
        const farChecks = () => portChecks() ?? (far.link.adminUp ? faultOf(frameMtuFault(far, p, `${ns.name}'s ${port.name}`, [port.mtu])) : linkDownFault(far, ''));
        candidates.push({ end: far, check: farChecks });
        if (far.link.master) {
          const b2 = findLink(far.ns, far.link.master);
          if (b2) addBridge(far.ns, b2, far.link, farChecks);
        }
      }
    }
  };

  if (start.type === 'bridge') {
    addBridge(from, start, undefined, () => undefined);
  } else if (start.type === 'veth') {
    const far = peerOf(w.snapshot, sender);
    if (!far) return { result: { unknown: `the other end of ${oif} in ${from.name} is in a namespace that could not be read` }, bridged };
    const farUp = () => (far.link.adminUp ? faultOf(frameMtuFault(far, p, `${from.name}'s ${oif}`, [start.mtu])) : linkDownFault(far, `, the other end of ${from.name}'s ${oif}`));
    candidates.push({ end: far, check: farUp });
    if (far.link.master) {
      const bridge = findLink(far.ns, far.link.master);
      if (bridge) addBridge(far.ns, bridge, far.link, farUp);
    }
  } else {
    return { result: { unknown: `${oif} in ${from.name} is a ${start.type} link; the walk follows veth pairs and bridges only` }, bridged };
  }

  // the sender must ask for the next hop's MAC
  const deaf = senderArpFault(sender, nextHop);
  if (deaf) return { result: { fault: deaf }, bridged };
  // nobody has the address, but a router may answer ARP for it by proxy (Calico's 169.254.1.1)
  const owner = candidates.find((c) => owns(c.end, nextHop)) ?? candidates.find((c) => c.end.ns !== from && !c.end.link.master && answersByProxy(c.end, nextHop));
  if (!owner) return { result: { fault: nextHopMissing(w, from, oif, nextHop, p.dst, candidates.map((c) => c.end)) }, bridged };
  // two namespaces on this link that both have it (and answer ARP for it)
  const owners = candidates.filter((c) => owns(c.end, nextHop) && !c.end.link.flags.includes('NOARP'));
  if (new Set(owners.map((c) => c.end.ns.name)).size > 1 && new Set(owners.filter((c) => !c.check()).map((c) => c.end.ns.name)).size > 1) {
    // the sender may hold the MAC of the copy that goes: it must ask again
    const cached = from.neighbours.some((n) => n.address === nextHop && n.dev === oif && !n.state.includes('PERMANENT'));
    const dup = duplicateAddressFault(w, nextHop, { arpFrom: from }, cached ? [ipIn(from, `neigh flush ${nextHop} dev ${oif}`)] : []);
    if (dup) return { result: { fault: dup }, bridged };
  }
  const blocked = owner.check();
  if (blocked) return { result: blocked, bridged };
  const mute = ownerArpFault(sender, nextHop, owner.end);
  if (mute) return { result: { fault: mute }, bridged };
  const wrongMac = neighbourMismatch(w, from, oif, nextHop, owner.end);
  if (wrongMac) return { result: { fault: wrongMac }, bridged };
  // the path: which bridge carried the frame, between which ports
  const viaBridge = start.type === 'veth' ? peerOf(w.snapshot, sender)?.link.master : start.type === 'bridge' ? start.name : undefined;
  if (viaBridge && owner.end.link.type !== 'bridge') {
    const bNs = start.type === 'bridge' ? from : peerOf(w.snapshot, sender)!.ns;
    const outPort = portsOf(bNs, viaBridge).find((pt) => pt.peer?.namespace === owner.end.ns.name && pt.peer?.name === owner.end.link.name);
    bridged.push({ ns: bNs.name, bridge: viaBridge, in: start.type === 'bridge' ? '(local)' : peerOf(w.snapshot, sender)!.link.name, ...(outPort ? { out: outPort.name } : {}) });
  }
  return { result: { next: { ns: owner.end.ns, iif: owner.end.link.name } }, bridged };
}

const BR_NETFILTER = ' (bridged traffic passes the ip hooks here: net.bridge.bridge-nf-call-iptables = 1)';
/** With br_netfilter, a bridged frame passes the ip hooks: PREROUTING and FORWARD's mangle before
 *  filter FORWARD; security FORWARD and mangle POSTROUTING after it. */
const BRIDGED_BEFORE = [['raw', 'PREROUTING'], ['mangle', 'PREROUTING'], ['mangle', 'FORWARD']] as const;
const BRIDGED_AFTER = [['security', 'FORWARD'], ['mangle', 'POSTROUTING']] as const;

function faultOf(f: Fault | undefined): StepResult | undefined {
  return f ? { fault: f } : undefined;
}

function portFault(w: Walk, ns: NamespaceState, port: Link): StepResult {
  // a veth port is disabled when its other end is down: that end is what to bring up
  const far = port.type === 'veth' ? peerOf(w.snapshot, { ns, link: port }) : undefined;
  if (port.adminUp && far && !far.link.adminUp) {
    return {
      fault: {
        kind: 'link-down',
        namespace: far.ns.name,
        what: `${far.link.name} in ${far.ns.name} is down, so its other end ${port.name}, a port of ${port.master ?? 'the bridge'} in ${ns.name}, has no carrier and the bridge does not forward to it.`,
        evidence: [
          { command: ipIn(far.ns, `-br link show ${far.link.name}`), line: linkLine(far.link) },
          { command: runIn(ns, `bridge link show dev ${port.name}`), line: `${port.name} master ${port.master ?? '?'} state ${port.portState ?? '?'}` },
        ],
        fix: [ipIn(far.ns, `link set ${far.link.name} up`)],
      },
    };
  }
  return {
    fault: {
      kind: 'port-not-forwarding',
      namespace: ns.name,
      what: `The bridge port ${port.name} in ${ns.name} is in state ${port.portState ?? '?'}, so the bridge does not forward its frames.`,
      evidence: [{ command: runIn(ns, `bridge link show dev ${port.name}`), line: `${port.name} master ${port.master ?? '?'} state ${port.portState ?? '?'}` }],
      fix: [ipIn(ns, `link set ${port.name} up`)],
    },
  };
}

function portAddressFault(ns: NamespaceState, port: Link, bridge: Link, address: string): StepResult {
  const a = ipv4Addresses(ns, port.name).find((x) => x.address === address)!;
  return {
    fault: {
      kind: 'address-on-bridge-port',
      namespace: ns.name,
      what: `${address} is on ${port.name}, a port of the bridge ${bridge.name}; the bridge takes that port's frames, so the address never answers. It belongs on ${bridge.name}.`,
      evidence: [{ command: ipIn(ns, `-br addr show ${port.name}`), line: `${port.name} ${port.operState} ${a.address}/${a.prefixlen}` }],
      fix: [ipIn(ns, `addr del ${a.address}/${a.prefixlen} dev ${port.name}`), ipIn(ns, `addr add ${a.address}/${a.prefixlen} dev ${bridge.name}`)],
    },
  };
}
