// Rules matched by meaning: order, -A/-I, notation do not matter; table, chain, -p and scope do.
import { describe, expect, it } from 'vitest';
import { compareRule, findMatchingRules } from '../src/domain/checks/match-rule.js';
import type { RuleSpec } from '../src/domain/lesson/types.js';
import { iptables } from './checks-snapshots.js';

const save = (table: string, ...rules: string[]) => iptables(`*${table}\n${rules.join('\n')}\nCOMMIT`);
const rule = (table: string, line: string) => save(table, line).tables[table]!.rules[0]!;
const masq: RuleSpec = { table: 'nat', chain: 'POSTROUTING', source: '192.168.202.0/24', out: '!vnet-animals', target: 'MASQUERADE' };
const dnat: RuleSpec = { table: 'nat', chain: 'PREROUTING', in: 'eth0', protocol: 'tcp', dport: '80', target: 'DNAT', to: '192.168.202.11:80' };

describe('compareRule', () => {
  it('matches a MASQUERADE rule written in another order', () => {
    expect(compareRule(masq, rule('nat', '-A POSTROUTING ! -o vnet-animals -s 192.168.202.0/24 -j MASQUERADE'))).toEqual([]);
  });
  it('matches an address given without its prefix or with host bits set', () => {
    expect(compareRule({ ...masq, source: '192.168.202.7/24' }, rule('nat', '-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE'))).toEqual([]);
    expect(compareRule({ table: 'nat', chain: 'OUTPUT', destination: '203.0.113.2' }, rule('nat', '-A OUTPUT -d 203.0.113.2/32 -j DNAT --to-destination 1.2.3.4'))).toEqual([]);
  });
  it('does not match the seed rule that forgot the scope (no ! -o)', () => {
    expect(compareRule(masq, rule('nat', '-A POSTROUTING -s 192.168.202.0/24 -j MASQUERADE'))).toEqual(['out']);
  });
  it('does not match a positive interface where the spec negates it', () => {
    expect(compareRule(masq, rule('nat', '-A POSTROUTING -s 192.168.202.0/24 -o vnet-animals -j MASQUERADE'))).toEqual(['out']);
  });
  it('does not match a wider or different source', () => {
    expect(compareRule(masq, rule('nat', '-A POSTROUTING -s 192.168.0.0/16 ! -o vnet-animals -j MASQUERADE'))).toEqual(['source']);
  });
  it('does not match the wrong chain or the wrong table', () => {
    expect(compareRule(masq, rule('nat', '-A PREROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE'))).toEqual(['chain']);
    expect(compareRule(masq, rule('filter', '-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE'))).toEqual(['table']);
  });
  it('matches a DNAT rule with -m tcp and options in any order', () => {
    expect(compareRule(dnat, rule('nat', '-A PREROUTING -p tcp -i eth0 -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'))).toEqual([]);
  });
  it('never matches a port spec on a rule without -p tcp', () => {
    const noProto: RuleSpec = { table: 'nat', chain: 'PREROUTING', dport: '80', target: 'DNAT' };
    expect(compareRule(noProto, rule('nat', '-A PREROUTING -i eth0 -j DNAT --to-destination 192.168.202.11:80'))).toEqual(['dport']);
    expect(compareRule(dnat, rule('nat', '-A PREROUTING -i eth0 -j DNAT --to-destination 192.168.202.11:80'))).toEqual(['protocol', 'dport']);
  });
  it('does not match -p udp for a tcp spec, nor another port or destination', () => {
    expect(compareRule(dnat, rule('nat', '-A PREROUTING -i eth0 -p udp -m udp --dport 80 -j DNAT --to-destination 192.168.202.11:80'))).toEqual(['protocol']);
    expect(compareRule(dnat, rule('nat', '-A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.202.11:80'))).toEqual(['dport']);
    expect(compareRule(dnat, rule('nat', '-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.12:80'))).toEqual(['to']);
  });
  it('lets a spec without a port in `to` match any port', () => {
    expect(compareRule({ ...dnat, to: '192.168.202.11' }, rule('nat', '-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:8080'))).toEqual([]);
  });
  it('`to: HOST:PORT` needs that port: a port-less DNAT keeps its --dport, another port does not match', () => {
    // lesson 7's check once said `to: 192.168.202.11` and let `--to-destination 192.168.202.11:8080` through
    expect(compareRule(dnat, rule('nat', '-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:8080'))).toEqual(['to']);
    expect(compareRule(dnat, rule('nat', '-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11'))).toEqual([]);
    // no single --dport to keep: a port-less DNAT says nothing about the port
    const anyPort: RuleSpec = { table: 'nat', chain: 'KUBE-SEP-1', target: 'DNAT', to: '10.200.2.2:8080' };
    expect(compareRule(anyPort, rule('nat', '-A KUBE-SEP-1 -p tcp -m tcp -j DNAT --to-destination 10.200.2.2'))).toEqual(['to']);
    expect(compareRule({ ...dnat, to: '192.168.202.12:8080', dport: '8000' }, rule('nat', '-A PREROUTING -i eth0 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 192.168.202.12'))).toEqual(['to']);
  });
  it('`out: "! X"` means "never for X": `-o eth0` has it, `-o X`, `-o X+`-style wildcards over X and no -o at all do not', () => {
    const notBridge: RuleSpec = { table: 'nat', chain: 'POSTROUTING', out: '! vnet-animals', target: 'MASQUERADE' };
    expect(compareRule(notBridge, rule('nat', '-A POSTROUTING -s 192.168.202.0/24 -o eth0 -j MASQUERADE'))).toEqual([]);
    expect(compareRule(notBridge, rule('nat', '-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE'))).toEqual([]);
    // the "a MASQUERADE rule" check once let `-o vnet-animals` through
    expect(compareRule(notBridge, rule('nat', '-A POSTROUTING -s 192.168.202.0/24 -o vnet-animals -j MASQUERADE'))).toEqual(['out']);
    expect(compareRule(notBridge, rule('nat', '-A POSTROUTING -o vnet+ -j MASQUERADE'))).toEqual(['out']);
    expect(compareRule(notBridge, rule('nat', '-A POSTROUTING -s 192.168.202.0/24 -j MASQUERADE'))).toEqual(['out']);
    // a negation of another interface still covers X
    expect(compareRule(notBridge, rule('nat', '-A POSTROUTING ! -o eth0 -j MASQUERADE'))).toEqual(['out']);
    // a positive spec still wants exactly its own interface
    expect(compareRule({ ...notBridge, out: 'eth0' }, rule('nat', '-A POSTROUTING ! -o vnet-animals -j MASQUERADE'))).toEqual(['out']);
  });
  it('matches multiport and ranges', () => {
    expect(compareRule({ table: 'filter', chain: 'INPUT', dport: '443' }, rule('filter', '-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT'))).toEqual([]);
    expect(compareRule({ table: 'filter', chain: 'INPUT', dport: '8000-8080' }, rule('filter', '-A INPUT -p tcp -m tcp --dport 8000:8080 -j ACCEPT'))).toEqual([]);
  });
  it('requires the extra match words', () => {
    const spec: RuleSpec = { table: 'nat', chain: 'KUBE-SVC-ABC', target: 'KUBE-SEP-1', match: ['-m', 'statistic', '--mode', 'random'] };
    expect(compareRule(spec, rule('nat', '-A KUBE-SVC-ABC -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-1'))).toEqual([]);
    expect(compareRule(spec, rule('nat', '-A KUBE-SVC-ABC -j KUBE-SEP-1'))).toEqual(['match']);
  });
  it('finds every matching rule across -A and -I positions', () => {
    const state = save('nat', '-A POSTROUTING -o eth0 -j RETURN', '-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE', '-A POSTROUTING ! -o vnet-animals -s 192.168.202.0/24 -j MASQUERADE');
    expect(findMatchingRules(masq, state)).toHaveLength(2);
  });
});
