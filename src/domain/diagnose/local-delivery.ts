// A packet that arrives at an address of its namespace: is something listening on its TCP port
// (does the kernel answer pings at all)?
// When nothing is, blame a DNAT that sent it here instead of to a server that listens, else look
// for the DNAT that should have sent it on: one in the wrong chain (nat PREROUTING never sees
// packets a namespace sends itself), one scoped to another interface, or none, with the server it
// should lead to. Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import { runChain, type Packet } from './match-packet.js';
import type { Fault } from './types.js';
import { contextFor, type Walk } from './walk-state.js';
import { shadowedDnatFault } from './unreached-dnat.js';
import { dnatTo, dnatToClosedPort, dnatToIdle, serversOn } from './dnat-target.js';
import { isLocal, listens } from './world.js';

/** A DNAT for this packet that exists but does not apply here: in the other chain (PREROUTING
 *  sees packets from outside, OUTPUT those the namespace sends), or scoped to another interface. */
function misplacedDnat(ns: NamespaceState, p: Packet, iif: string | undefined) {
  const dnat = (chain: string, input: string | undefined) => {
    const v = runChain(ns.iptables, 'nat', chain, p, contextFor(ns, 'there', input, undefined));
    return v.verdict === 'DNAT' && v.rule ? v.rule : undefined;
  };
  const devices = ['', ...ns.links.map((l) => l.name)];
  if (iif === undefined) {
    for (const d of devices) {
      const rule = dnat('PREROUTING', d);
      if (rule) return { rule, chain: 'PREROUTING' as const };
    }
    return undefined;
  }
  for (const d of devices) {
    if (d === iif) continue;
    const rule = dnat('PREROUTING', d);
    if (rule) return { rule, chain: 'PREROUTING' as const, scopedTo: d };
  }
  const out = dnat('OUTPUT', undefined);
  if (out) return { rule: out, chain: 'OUTPUT' as const };
  return undefined;
}

/** The kernel answers no echo request at all: net.ipv4.icmp_echo_ignore_all = 1. */
function echoIgnoredFault(ns: NamespaceState, p: Packet): Fault | undefined {
  const key = 'net.ipv4.icmp_echo_ignore_all';
  if (ns.sysctls[key] !== '1') return undefined;
  return {
    kind: 'icmp-ignored',
    namespace: ns.name,
    what: `${ns.name} ignores every ping: ${key} is 1, so the echo request to ${p.dst} arrives but is never answered.`,
    evidence: [{ command: runIn(ns, `sysctl ${key}`), line: `${key} = 1` }],
    fix: [runIn(ns, `sysctl -w ${key}=0`)],
  };
}

export function deliveryFault(w: Walk, ns: NamespaceState, p: Packet, iif: string | undefined): Fault | undefined {
  if (p.protocol === 'icmp') return echoIgnoredFault(ns, p);
  if (p.protocol !== 'tcp' || p.dport === undefined || listens(ns, p.dst, p.dport)) return undefined;
  const port = p.dport;
  const evidence = [{ command: runIn(ns, `ss -ltn 'sport = :${port}'`), line: ns.listening.length ? ns.listening.map((l) => `LISTEN ${l.address}:${l.port}`).join(' | ') : '(nothing listening)' }];
  const dnat = dnatTo(w, p.dst, port);
  if (dnat && dnat.after.port !== undefined) {
    const f = dnatToClosedPort(w, dnat, ns, port, evidence);
    if (f) return f;
  }
  // not translated here because an earlier rule ended the chain that holds the DNAT
  const shadowed = dnat ? undefined : shadowedDnatFault(ns, p, contextFor(ns, 'there', iif, undefined));
  if (shadowed) return shadowed;
  const elsewhere = ns.listening.find((l) => l.port === port);
  if (elsewhere) {
    return {
      kind: 'listening-elsewhere',
      namespace: ns.name,
      what: `The server in ${ns.name} listens on ${elsewhere.address}:${port} only, so it does not accept connections to ${p.dst}.`,
      evidence,
      fix: [`# restart the server in ${ns.name} listening on 0.0.0.0:${port} (or on ${p.dst})`],
    };
  }
  // a DNAT elsewhere sent it here, while it should have gone to a server that exists
  if (dnat) {
    const f = dnatToIdle(w, dnat, ns, port, evidence);
    if (f) return f;
  }
  const found = misplacedDnat(ns, p, iif);
  if (found) {
    const target = found.rule.target ? ['-j', found.rule.target.name, ...found.rule.target.options] : [];
    if (found.chain === 'OUTPUT') {
      return {
        kind: 'dnat-wrong-chain',
        namespace: ns.name,
        what: `The DNAT rule for ${p.dst}:${port} is only in nat OUTPUT, which sees the packets ${ns.name} sends itself; packets arriving on ${iif} pass nat PREROUTING.`,
        evidence: [{ command: runIn(ns, 'iptables -t nat -S'), line: found.rule.text }, ...evidence],
        fix: [runIn(ns, `iptables -t nat -A PREROUTING -i ${iif} -p tcp --dport ${port} ${target.join(' ')}`)],
      };
    }
    if (found.chain === 'PREROUTING' && iif === undefined) {
      return {
        kind: 'dnat-wrong-chain',
        namespace: ns.name,
        what: `The DNAT rule for ${p.dst}:${port} is in nat PREROUTING, but packets ${ns.name} sends itself pass nat OUTPUT, so they reach ${ns.name}'s own port ${port}, where nothing listens.`,
        evidence: [{ command: runIn(ns, 'iptables -t nat -S'), line: found.rule.text }, ...evidence],
        fix: [runIn(ns, `iptables -t nat -A OUTPUT -d ${p.dst} -p tcp --dport ${port} ${target.join(' ')}`)],
      };
    }
    if ('scopedTo' in found) {
      return {
        kind: 'dnat-wrong-interface',
        namespace: ns.name,
        what: `The DNAT rule for port ${port} only matches packets coming in on ${found.scopedTo}; this one came in on ${iif}.`,
        evidence: [{ command: runIn(ns, 'iptables -t nat -S PREROUTING'), line: found.rule.text }, ...evidence],
        fix: [runIn(ns, `iptables -t nat -A PREROUTING -i ${iif} -p tcp --dport ${port} ${target.join(' ')}`)],
      };
    }
  }
  // a server elsewhere that this namespace could forward to
  const servers = serversOn(w, port, ns).map((x) => ({ n: x.ns, address: x.address }));
  if (servers.length === 1) {
    const s = servers[0]!;
    const rule =
      iif === undefined
        ? `iptables -t nat -A OUTPUT -d ${p.dst} -p tcp --dport ${port} -j DNAT --to-destination ${s.address}:${port}`
        : `iptables -t nat -A PREROUTING -i ${iif} -p tcp --dport ${port} -j DNAT --to-destination ${s.address}:${port}`;
    return {
      kind: 'dnat-missing',
      namespace: ns.name,
      what: `Nothing listens on ${p.dst}:${port} in ${ns.name}, and no DNAT rule forwards it to the server in ${s.n.name} (${s.address}:${port}).`,
      evidence: [...evidence, { command: runIn(ns, 'iptables -t nat -S'), line: (ns.iptables?.tables.nat?.rules ?? []).filter((r) => r.target?.kind === 'dnat').map((r) => r.text).join(' | ') || '(no DNAT rules)' }],
      fix: [runIn(ns, rule)],
    };
  }
  return {
    kind: 'not-listening',
    namespace: ns.name,
    what: `Nothing listens on TCP port ${port} in ${ns.name}${isLocal(ns, p.dst) ? ` (the packet reached ${p.dst}, which is ${ns.name}'s own)` : ''}.`,
    evidence,
    fix: [`# start the server in ${ns.name}, listening on port ${port}`],
  };
}
