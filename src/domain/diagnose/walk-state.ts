// The walk's shared state: the snapshot, the packet as it is now, the NAT done on the way, the
// hops so far. Pure data plus small helpers the walk's steps share.
import type { NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import type { Fault, Hop } from './types.js';
import type { Packet, PacketContext } from './match-packet.js';
import { isLocal } from './world.js';

export type Direction = 'there' | 'back';

export interface NatEntry {
  namespace: string;
  kind: 'snat' | 'dnat';
  before: { address: string; port?: number };
  after: { address: string; port?: number };
  rule: string;
  /** Set when a native nft rule did it (the fix then edits that rule by its handle). */
  nft?: { family: string; table: string; chain: string; handle: number };
  /** Where it fired: the nat hook's chain, the packet as it was before, its devices ('' unknown),
   *  so the walk can ask what that chain does without this rule. */
  at?: NatHook;
}

export interface NatHook {
  chain: 'PREROUTING' | 'OUTPUT' | 'POSTROUTING';
  packet: Packet;
  in: string;
  out: string;
}

/** A chain that may stop the packet, though the walk cannot be sure (it has tests the walk
 *  cannot judge): named as the likely cause when the probe fails and every hop passes. */
export interface Suspect {
  namespace: string;
  /** `inet filter forward` */
  chain: string;
  /** Why, in a sentence without the chain's name. */
  why: string;
}

export interface Walk {
  snapshot: Snapshot;
  source: NamespaceState;
  /** The first packet, as the source sends it. */
  original: Packet;
  nat: NatEntry[];
  path: Array<Hop & { direction: Direction }>;
  notes: string[];
  suspects: Suspect[];
}

/** Where a packet is: a namespace, and the interface it came in by (undefined: made here). */
export interface Position {
  ns: NamespaceState;
  iif?: string;
}

export type StepResult = { fault: Fault } | { next: Position } | { delivered: NamespaceState } | { unknown: string };

export function contextFor(ns: NamespaceState, dir: Direction, iif: string | undefined, oif: string | undefined): PacketContext {
  return { in: iif ?? '', out: oif ?? '', ctstate: dir === 'there' ? 'NEW' : 'ESTABLISHED', isLocal: (a) => isLocal(ns, a) };
}

export function describePacket(p: Packet): string {
  const port = (a: string, n?: number) => (n === undefined ? a : `${a}:${n}`);
  // before the kernel picked a source address, there is none to show
  const src = p.src ? `${port(p.src, p.protocol === 'tcp' ? p.sport : undefined)} ` : '';
  return `${p.protocol} ${src}-> ${port(p.dst, p.dport)}`;
}
