// The typed rule read from iptables-save's words (domain/snapshot/parse-rule.ts), on the lines
// Docker, kube-proxy and the course write: every match and target the checks, the diagnoser and the
// map read, with negations, and what the parser cannot judge kept as such.
import { describe, expect, it } from 'vitest';
import { matchWords, parseNatTo, parseRule } from '../src/domain/snapshot/parse-rule.js';
import { parseIptablesSave, splitRuleWords } from '../src/domain/snapshot/parse-iptables.js';

const words = (line: string) => splitRuleWords(line).slice(2);
const read = (line: string, chains: string[] = []) => parseRule(words(line), new Set(chains));

describe('parseRule', () => {
  it("reads Docker's published port: a negated input interface, protocol, port and the DNAT's address and port", () => {
    expect(read('-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80')).toEqual({
      matches: [
        { kind: 'in-interface', name: 'docker0', negated: true },
        { kind: 'protocol', protocol: 'tcp', negated: false },
        { kind: 'destination-port', ports: [{ from: 8080, to: 8080 }], multiport: false, negated: false },
      ],
      target: { name: 'DNAT', options: ['--to-destination', '172.17.0.2:80'], kind: 'dnat', to: { address: '172.17.0.2', port: 80 } },
    });
  });

  it("reads kube-proxy's chains: comments with spaces, statistic, marks, addrtype and jumps into user chains", () => {
    const svc = read('-A KUBE-SVC-WEB -m comment --comment "default/web cluster IP" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-A', ['KUBE-SEP-A']);
    expect(svc.matches).toEqual([
      { kind: 'comment', text: 'default/web cluster IP', negated: false },
      { kind: 'statistic', mode: 'random', probability: 0.5, negated: false },
    ]);
    expect(svc.target).toEqual({ name: 'KUBE-SEP-A', options: [], kind: 'jump', chain: 'KUBE-SEP-A', goto: false });
    expect(read('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN').matches).toEqual([{ kind: 'mark', mark: { value: 0x4000, mask: 0x4000 }, negated: true }]);
    expect(read('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000').target).toEqual({ name: 'MARK', options: ['--set-xmark', '0x4000/0x4000'], kind: 'mark', xmark: { value: 0x4000, mask: 0x4000 } });
    expect(read('-A PREROUTING -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS', ['KUBE-NODEPORTS'])).toMatchObject({
      matches: [{ kind: 'address-type', direction: 'destination', types: ['LOCAL'], negated: false }],
      target: { kind: 'jump', chain: 'KUBE-NODEPORTS' },
    });
    expect(read('-A KUBE-POSTROUTING -j MASQUERADE --random-fully').target).toEqual({ name: 'MASQUERADE', options: ['--random-fully'], kind: 'masquerade' });
  });

  it('reads conntrack state, multiport, port ranges, icmp types, REJECT, NOTRACK and CT, gotos, LOG', () => {
    expect(read('-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT').matches).toEqual([{ kind: 'conntrack-state', states: ['RELATED', 'ESTABLISHED'], negated: false }]);
    expect(read('-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT').matches[1]).toEqual({ kind: 'destination-port', ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }, { from: 8000, to: 8080 }], multiport: true, negated: false });
    expect(read('-A INPUT -p tcp -m tcp ! --sport 1024:65535 -j DROP').matches[1]).toEqual({ kind: 'source-port', ports: [{ from: 1024, to: 65535 }], multiport: false, negated: true });
    expect(read('-A INPUT -p icmp -m icmp --icmp-type 8 -j REJECT --reject-with icmp-port-unreachable')).toMatchObject({ matches: [{}, { kind: 'icmp-type', type: '8' }], target: { kind: 'reject', rejectWith: 'icmp-port-unreachable' } });
    expect(read('-A PREROUTING -d 10.0.0.1/32 -j NOTRACK').target?.kind).toBe('notrack');
    expect(read('-A PREROUTING -j CT --notrack').target).toMatchObject({ kind: 'ct', notrack: true });
    expect(read('-A FORWARD -g DOCKER-ISOLATION', ['DOCKER-ISOLATION']).target).toMatchObject({ kind: 'jump', chain: 'DOCKER-ISOLATION', goto: true });
    expect(read('-A INPUT -j LOG --log-prefix "dropped: "').target).toMatchObject({ kind: 'log', prefix: 'dropped: ' });
  });

  it('keeps what it cannot judge as an unknown match with its words, and a target that is no chain as other', () => {
    const r = read('-A INPUT -p tcp -m limit --limit 5/sec -m tcp --tcp-flags FIN,SYN SYN -j TCPMSS --clamp-mss-to-pmtu');
    expect(r.matches.filter((m) => m.kind === 'unknown')).toEqual([
      { kind: 'unknown', module: 'limit', words: ['--limit', '5/sec'], negated: false },
      { kind: 'unknown', module: 'tcp', words: ['--tcp-flags', 'FIN,SYN', 'SYN'], negated: false },
    ]);
    expect(r.target).toEqual({ name: 'TCPMSS', options: ['--clamp-mss-to-pmtu'], kind: 'other' });
    // a name that is not a chain of the table is an extension target, not a jump
    expect(read('-A FORWARD -j DOCKER-USER').target?.kind).toBe('other');
  });

  it('writes a match back in iptables words', () => {
    for (const line of ['-A X ! -s 10.0.0.0/8 -j ACCEPT', '-A X -m conntrack ! --ctstate NEW -j ACCEPT', '-A X -p tcp -m multiport --dports 80,443 -j ACCEPT', '-A X -m addrtype --dst-type LOCAL -j ACCEPT']) {
      const r = read(line);
      expect(r.matches.flatMap(matchWords).join(' ')).toBe(line.slice('-A X '.length, -' -j ACCEPT'.length));
    }
  });

  it('parses NAT destinations with ranges', () => {
    expect(parseNatTo('10.0.0.1-10.0.0.3:80-90')).toEqual({ address: '10.0.0.1', addressEnd: '10.0.0.3', port: 80, portEnd: 90 });
    expect(parseNatTo(':8080')).toEqual({ port: 8080 });
    expect(parseNatTo('192.168.202.11')).toEqual({ address: '192.168.202.11' });
  });

  it('is read for every rule of an iptables-save dump, with the chains of its table', () => {
    const ipt = parseIptablesSave('*filter\n:FORWARD DROP [0:0]\n:DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -j RETURN\nCOMMIT\n');
    expect(ipt.tables.filter!.rules.map((r) => r.target?.kind)).toEqual(['jump', 'return']);
  });
});
