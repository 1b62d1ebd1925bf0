// A packet that arrives from outside with a source address the namespace has itself: the kernel
// drops it as a martian (unless accept_local) and answers no ARP request from that address. Said
// as its cause: an SNAT on the way to an address that is not the translator's, or one address in
// two namespaces (the fix then also flushes the sender's unanswered neighbour entry). Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { flushUnanswered } from './commands.js';
import { duplicateAddressFault } from './duplicate-address.js';
import type { Packet } from './match-packet.js';
import { snatToNowhere } from './snat-target.js';
import type { Fault } from './types.js';
import type { Direction, Walk } from './walk-state.js';
import { findNamespace, isLocal } from './world.js';

export function martianSourceFault(w: Walk, ns: NamespaceState, iif: string, p: Packet, dir: Direction): Fault | undefined {
  if (!p.src || p.src.startsWith('127.') || !isLocal(ns, p.src)) return undefined;
  const dev = iif.replace(/\./g, '/');
  if (ns.sysctls['net.ipv4.conf.all.accept_local'] === '1' || ns.sysctls[`net.ipv4.conf.${dev}.accept_local`] === '1') return undefined;
  const snat = snatToNowhere(w, p.src, { martian: ns });
  if (snat) return snat;
  const prev = w.path.filter((h) => h.direction === dir && (h.action === 'sent' || h.action === 'routed')).at(-1);
  const sender = prev ? findNamespace(w.snapshot, prev.namespace) : undefined;
  const flush = sender && prev?.out ? flushUnanswered(sender, prev.via ?? p.dst, prev.out) : [];
  return duplicateAddressFault(w, p.src, { droppedBy: ns, iif }, flush);
}
