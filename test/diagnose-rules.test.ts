// Policy routing on the walk (pure, over the recorded bridge lab): rules in priority order with
// their selectors, table lookups that fall through, refusals, goto and suppress_prefixlength, and
// rules the walk cannot judge. The real-sandbox test proves the common faults against the kernel.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NamespaceState, Route, Snapshot } from '../src/domain/snapshot/snapshot.js';
import { walkPath } from '../src/domain/diagnose/walk.js';
import { judgeReachability } from '../src/domain/diagnose/judge.js';
import { matchRoutingRule, routeByRules } from '../src/domain/diagnose/policy-routing.js';
import { parseRule } from '../src/domain/snapshot/parse-rules.js';

const bridge: Snapshot = JSON.parse(readFileSync(new URL('./fixtures/snapshots/bridge-lab.json', import.meta.url), 'utf8'));
const ns = (s: Snapshot, name: string) => s.namespaces.find((n) => n.name === name)!;

/** The kernel's three rules, plus these (as `ip -j rule show` gives them). */
function withRules(n: NamespaceState, extra: Array<Record<string, unknown>>, tableRoutes: Route[] = []): void {
  const json = [{ priority: 0, src: 'all', table: 'local' }, ...extra, { priority: 32766, src: 'all', table: 'main' }, { priority: 32767, src: 'all', table: 'default' }];
  n.rules = json.map(parseRule).sort((a, b) => a.priority - b.priority);
  n.tableRoutes = tableRoutes;
}
function lab(where: string, extra: Array<Record<string, unknown>>, tableRoutes: Route[] = []): Snapshot {
  const s = structuredClone(bridge);
  for (const n of s.namespaces) withRules(n, n.name === where ? extra : []);
  ns(s, where).tableRoutes = tableRoutes;
  return s;
}
const foxOut = (s: Snapshot) => walkPath(s, 'fox', { address: '198.51.100.10' });

describe('policy rules on the walk', () => {
  it('the kernel\'s own rules change nothing', () => {
    const r = foxOut(lab('host', []));
    expect(r.passed).toBe(true);
    expect(r.notes).toEqual([]);
  });

  it('a prohibit rule for the source, on the router: the rule is the fault, and deleting it the fix', () => {
    const r = foxOut(lab('host', [{ priority: 32765, src: '192.168.202.11', action: 'prohibit' }]));
    expect(r.fault).toMatchObject({ kind: 'policy-rule', namespace: 'host', fix: ['ip rule del pref 32765 from 192.168.202.11 prohibit'] });
    expect(r.fault!.evidence).toEqual([{ command: 'ip rule show', line: '32765:\tfrom 192.168.202.11 prohibit' }]);
    expect(r.fault!.what).toContain('its action is prohibit');
  });

  it('a from-rule in the sender matches once the source is chosen, as the kernel looks again', () => {
    const s = lab('fox', [{ priority: 32765, src: '192.168.202.11', action: 'unreachable' }]);
    const fox = ns(s, 'fox');
    expect(routeByRules(fox, { src: '', dst: '198.51.100.10', protocol: 'icmp' }, undefined).refused).toBeUndefined();
    expect(routeByRules(fox, { src: '192.168.202.11', dst: '198.51.100.10', protocol: 'icmp' }, undefined).refused).toBe(true);
    expect(foxOut(s).fault).toMatchObject({ kind: 'policy-rule', namespace: 'fox', fix: ['ip -n fox rule del pref 32765 from 192.168.202.11 unreachable'] });
  });

  it('a rule to a table with a blackhole route: the route in that table, with the rule as evidence', () => {
    const r = foxOut(lab('fox', [{ priority: 32765, src: 'all', dst: '198.51.100.0', dstlen: 24, table: '100' }], [{ dst: 'default', type: 'blackhole', table: '100' }]));
    expect(r.fault).toMatchObject({ kind: 'reject-route', namespace: 'fox', fix: ['ip -n fox route del blackhole default table 100'] });
    expect(r.fault!.evidence.map((e) => e.line)).toEqual(['32765:\tfrom all to 198.51.100.0/24 lookup 100', 'blackhole default']);
    expect(r.fault!.what).toBe("fox's routing rule 32765 sends icmp -> 198.51.100.10 to table 100, whose route for 198.51.100.10 is of type blackhole, so the kernel refuses to send there.");
    expect(r.notes).toContain('Or remove the rule that leads there: ip -n fox rule del pref 32765 from all to 198.51.100.0/24 lookup 100.');
  });

  it('a table without a matching route, or with a throw route, falls through to the next rule', () => {
    const rule = { priority: 32765, src: 'all', dst: '198.51.100.0', dstlen: 24, table: '100' };
    expect(foxOut(lab('fox', [rule])).passed).toBe(true);
    expect(foxOut(lab('fox', [rule], [{ dst: '10.0.0.0/8', type: 'blackhole', table: '100' }])).passed).toBe(true);
    expect(foxOut(lab('fox', [rule], [{ dst: '198.51.100.0/24', type: 'throw', table: '100' }, { dst: 'default', type: 'blackhole', table: '100' }])).passed).toBe(true);
  });

  it('a table with a route sends the packet its way', () => {
    const s = lab('fox', [{ priority: 32765, src: 'all', dst: '198.51.100.0', dstlen: 24, table: '100' }], [{ dst: 'default', type: 'unicast', gateway: '192.168.202.12', dev: 'veth-fox', table: '100' }]);
    const found = routeByRules(ns(s, 'fox'), { src: '192.168.202.11', dst: '198.51.100.10', protocol: 'icmp' }, undefined);
    expect(found).toMatchObject({ found: { nextHop: '192.168.202.12', dev: 'veth-fox' }, rule: { table: '100' } });
    // bear does not forward, and the router is on the link: the route (in table 100) goes the wrong way
    expect(foxOut(s).fault).toMatchObject({ kind: 'wrong-gateway', namespace: 'fox', fix: ['ip -n fox route replace default via 192.168.202.1 table 100'] });
  });

  it('iif: lo for packets made here, the incoming device for forwarded ones', () => {
    const onHost = lab('host', [{ priority: 100, src: 'all', iif: 'vnet-animals', action: 'prohibit' }]);
    expect(foxOut(onHost).fault).toMatchObject({ kind: 'policy-rule', namespace: 'host' });
    expect(walkPath(onHost, 'host', { address: '198.51.100.10' }).passed).toBe(true);
    expect(walkPath(lab('host', [{ priority: 100, src: 'all', iif: 'lo', action: 'prohibit' }]), 'host', { address: '198.51.100.10' }).fault).toMatchObject({ kind: 'policy-rule' });
  });

  it('not inverts the selector; an oif rule matches no probe; ports and protocol are tested', () => {
    const rule = (j: Record<string, unknown>) => parseRule({ priority: 1, src: 'all', action: 'prohibit', ...j });
    const icmp = { src: '192.168.202.11', dst: '198.51.100.10', protocol: 'icmp' as const };
    const tcp = { ...icmp, protocol: 'tcp' as const, sport: 40000, dport: 80 };
    expect(matchRoutingRule(rule({ not: null, src: '192.168.202.0', srclen: 24 }), icmp, 'vnet-animals')).toBe(false);
    expect(matchRoutingRule(rule({ not: null, src: '10.0.0.0', srclen: 8 }), icmp, 'vnet-animals')).toBe(true);
    expect(matchRoutingRule(rule({ oif: 'eth0' }), icmp, undefined)).toBe(false);
    expect(matchRoutingRule(rule({ ipproto: 'tcp', dport: 80 }), tcp, undefined)).toBe(true);
    expect(matchRoutingRule(rule({ ipproto: 'tcp', dport: 80 }), icmp, undefined)).toBe(false);
    expect(matchRoutingRule(rule({ dport_start: 8000, dport_end: 9000 }), tcp, undefined)).toBe(false);
    expect(matchRoutingRule(rule({ iif: 'eth0', iif_detached: true }), icmp, 'eth0')).toBe(false);
    expect(matchRoutingRule(rule({ tos: '0x10' }), icmp, undefined)).toBe(false);
  });

  it('goto jumps over the rules between; nop does nothing', () => {
    const s = lab('host', [
      { priority: 100, src: 'all', goto: 200 },
      { priority: 150, src: 'all', action: 'prohibit' },
      { priority: 200, src: 'all', nop: null },
    ]);
    expect(foxOut(s).passed).toBe(true);
  });

  it('suppress_prefixlength 0 passes over the default route (as wg-quick does), not over a narrower one', () => {
    const s = lab('fox', [
      { priority: 100, src: 'all', table: 'main', suppress_prefixlen: 0 },
      { priority: 200, src: 'all', action: 'unreachable' },
    ]);
    expect(foxOut(s).fault).toMatchObject({ kind: 'policy-rule', namespace: 'fox' });
    expect(foxOut(s).fault!.evidence[0]!.line).toBe('200:\tfrom all unreachable');
    expect(walkPath(s, 'fox', { address: '192.168.202.12' }).passed).toBe(true);
  });

  it('rules on a firewall mark or a uid are skipped and said so, once per namespace; one that cannot match is not', () => {
    const s = lab('host', [
      { priority: 100, src: 'all', fwmark: '0x5', action: 'prohibit' },
      { priority: 110, src: '10.0.0.0', srclen: 8, fwmark: '0x6', action: 'prohibit' },
      { priority: 120, src: 'all', uid_start: 1000, uid_end: 1000, action: 'prohibit' },
    ]);
    const r = foxOut(s);
    expect(r.passed).toBe(true);
    expect(r.notes).toEqual(["host's routing rules `100: from all fwmark 0x5 prohibit`, `120: from all uidrange 1000-1000 prohibit` test what the walk cannot know (a firewall mark, a uid range); they were taken as not matching."]);
    const d = judgeReachability(s, 'fox', { address: '198.51.100.10' }, { outcome: 'no-reply', detail: 'ping 198.51.100.10 from fox: no reply within 250 ms', durationMs: 250 });
    expect(d.notes.join(' ')).toContain('fwmark 0x5');
  });

  it('no rule looks up the main table: that is the fault, with the rule to add', () => {
    const s = structuredClone(bridge);
    for (const n of s.namespaces) withRules(n, []);
    ns(s, 'host').rules = ns(s, 'host').rules!.filter((r) => r.table !== 'main');
    expect(foxOut(s).fault).toMatchObject({ kind: 'policy-rule', namespace: 'host', fix: ['ip rule add pref 32766 lookup main'] });
  });

  it('a rule on the way back, in the router', () => {
    const s = lab('host', [{ priority: 100, src: 'all', dst: '192.168.202.0', dstlen: 24, iif: 'eth0', table: '7' }], [{ dst: '192.168.202.0/24', type: 'unreachable', table: '7' }]);
    const r = foxOut(s);
    expect(r.path.some((h) => h.direction === 'back')).toBe(true);
    expect(r.fault).toMatchObject({ kind: 'reject-route', namespace: 'host', fix: ['ip route del unreachable 192.168.202.0/24 table 7'] });
  });
});
