// Faults of a namespace asked to forward: rp_filter dropping a packet whose way back leaves by
// another interface (or does not exist), and forwarding switched off (ip_forward, or per device),
// unless the namespace was only taken for a router by mistake. Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { ipIn, runIn } from './commands.js';
import type { Packet } from './match-packet.js';
import { gatewayNotRouter } from './next-hop.js';
import { routeByRules } from './policy-routing.js';
import type { Fault } from './types.js';
import type { Direction, Walk } from './walk-state.js';
import { isLocal, routeLine } from './world.js';

function rpFilter(ns: NamespaceState, iif: string): number {
  const all = Number(ns.sysctls['net.ipv4.conf.all.rp_filter'] ?? 0);
  const dev = Number(ns.sysctls[`net.ipv4.conf.${iif.replace(/\./g, '/')}.rp_filter`] ?? 0);
  return Math.max(all, dev);
}

function forwardingOff(ns: NamespaceState, iif: string): string | undefined {
  if (ns.sysctls['net.ipv4.ip_forward'] === '0') return 'net.ipv4.ip_forward = 0';
  const key = `net.ipv4.conf.${iif.replace(/\./g, '/')}.forwarding`;
  if (ns.sysctls[key] === '0') return `${key} = 0`;
  return undefined;
}

/** Is the way back to the source through the interface the packet came in by? */
export function rpFilterFault(ns: NamespaceState, iif: string, p: Packet): Fault | undefined {
  const rp = rpFilter(ns, iif);
  if (rp === 0 || isLocal(ns, p.src)) return undefined;
  // the kernel's check: a lookup from here (iif lo) towards the source
  const back = routeByRules(ns, { ...p, src: p.dst, dst: p.src, sport: p.dport, dport: p.sport }, undefined).found;
  if (back?.dev && (rp !== 1 || back.dev === iif)) return undefined;
  const fix = [runIn(ns, `sysctl -w net.ipv4.conf.all.rp_filter=${back?.dev ? 2 : 0} net.ipv4.conf.${iif}.rp_filter=${back?.dev ? 2 : 0}`)];
  return {
    kind: 'rp-filter',
    namespace: ns.name,
    what: `rp_filter (${rp === 1 ? 'strict' : 'loose'}) in ${ns.name} drops packets from ${p.src} arriving on ${iif}: ${back?.dev ? `its route back to ${p.src} leaves by ${back.dev}` : `it has no route back to ${p.src}`}.`,
    evidence: [
      { command: runIn(ns, `sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.${iif}.rp_filter`), line: `net.ipv4.conf.all.rp_filter = ${ns.sysctls['net.ipv4.conf.all.rp_filter'] ?? '?'}, net.ipv4.conf.${iif}.rp_filter = ${ns.sysctls[`net.ipv4.conf.${iif}.rp_filter`] ?? '?'}` },
      { command: ipIn(ns, `route get ${p.src}`), line: back?.dev ? routeLine(back.route) : 'RTNETLINK answers: Network is unreachable' },
    ],
    fix,
  };
}

export function forwardingOffFault(w: Walk, ns: NamespaceState, iif: string, p: Packet, dir: Direction): Fault | undefined {
  const off = forwardingOff(ns, iif);
  if (!off) return undefined;
  const key = off.split(' ')[0]!;
  // a host picked as a gateway by mistake, while a router sits on the same link
  const notRouter = gatewayNotRouter(w, ns, iif, p, dir, { command: runIn(ns, `sysctl ${key}`), line: off });
  if (notRouter) return notRouter;
  return {
    kind: 'ip-forward-off',
    namespace: ns.name,
    what: `${ns.name} does not forward: ${key} is 0, so it drops packets from ${iif} meant for ${p.dst}.`,
    evidence: [{ command: runIn(ns, `sysctl ${key}`), line: off }],
    fix: [runIn(ns, `sysctl -w ${key === 'net.ipv4.ip_forward' ? 'net.ipv4.ip_forward' : key}=1`)],
  };
}
