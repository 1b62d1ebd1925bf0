// evaluateChecks over hand-made snapshots of the bridge lab: every kind, holding and not, with the
// state line that shows it.
import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../src/domain/checks/evaluate-checks.js';
import { filesNeeded, probesNeeded } from '../src/domain/checks/plan-checks.js';
import { probeKey, type ProbeResults } from '../src/domain/checks/probe-types.js';
import type { Snapshot } from '../src/domain/snapshot/snapshot.js';
import { checkOf, checksOf } from './checks-parse-helper.js';
import { bridgeLab, iptables, link } from './checks-snapshots.js';

function judge(yaml: string, snapshot: Snapshot = bridgeLab(), probes: ProbeResults = {}) {
  const [result] = evaluateChecks([checkOf(yaml)], snapshot, probes);
  return result!;
}

const v4 = (dev: string, address: string, prefixlen: number) => ({ dev, family: 'inet' as const, address, prefixlen, scope: 'global' });
const c = (body: string) => `  - name: it\n    message: Not yet.\n${body.replace(/^/gm, '    ')}`;

describe('link checks', () => {
  it('holds for an up bridge, an up veth port on it, and lo (UNKNOWN)', () => {
    expect(judge(c('link: vnet-animals\ntype: bridge\nup: true')).status).toBe('pass');
    expect(judge(c('link: veth-fox-br\nmaster: vnet-animals\nup: true\npeer: veth-fox\npeer_in: fox')).status).toBe('pass');
    expect(judge(c('in: fox\nlink: lo\nup: true')).status).toBe('pass');
  });
  it('switched on without a carrier: fails, saying it is up and which end is down (not "it is down")', () => {
    const noCarrier = { operState: 'DOWN' as const, lowerUp: false, flags: ['NO-CARRIER', 'UP'] };
    const snap = bridgeLab({
      host: {
        links: [
          link('lo', 'loopback'),
          link('vnet-animals', 'bridge', { ifindex: 3 }),
          link('veth-fox-br', 'veth', { ifindex: 4, master: 'vnet-animals', adminUp: false, operState: 'DOWN', lowerUp: false, flags: [], peer: { namespace: 'fox', name: 'veth-fox', ifindex: 2 } }),
        ],
      },
      fox: { links: [link('lo', 'loopback'), link('veth-fox', 'veth', { ifindex: 2, ...noCarrier, peer: { namespace: 'host', name: 'veth-fox-br', ifindex: 4 } })] },
    });
    const r = judge(c('in: fox\nlink: veth-fox\nup: true'), snap);
    expect(r).toMatchObject({
      status: 'fail',
      message: 'veth-fox in fox is switched on, but its peer veth-fox-br (host) is down: a veth passes packets only when both of its ends are up.',
      evidence: 'fox: veth-fox is up but has no carrier: its peer veth-fox-br (host) is down',
    });
    // the same in LOWERLAYERDOWN, and with a peer the kernel names only by number
    const lld = bridgeLab({ fox: { links: [link('veth-fox', 'veth', { operState: 'LOWERLAYERDOWN', lowerUp: false, peer: { ifindex: 9 } })] } });
    expect(judge(c('in: fox\nlink: veth-fox\nup: true'), lld).evidence).toBe('fox: veth-fox is up but has no carrier: its peer link #9 (in another namespace) is down');
    // with another property wrong too, the check's own sentence stays; the evidence says both
    const both = judge(c('in: fox\nlink: veth-fox\nup: true\npeer: veth-bear-br'), snap);
    expect(both).toMatchObject({ status: 'fail', message: 'Not yet.' });
    expect(both.evidence).toBe('fox: veth-fox veth state DOWN peer veth-fox-br in host; veth-fox is up but has no carrier: its peer veth-fox-br (host) is down');
    // a bridge whose ports are all down
    const bridge = judge(c('link: vnet-animals\nup: true'), bridgeLab({ host: { links: [link('vnet-animals', 'bridge', noCarrier), link('veth-fox-br', 'veth', { master: 'vnet-animals', adminUp: false, operState: 'DOWN' })] } }));
    expect(bridge.evidence).toBe('host: vnet-animals is up but has no carrier: none of its ports passes packets (veth-fox-br down)');
    expect(bridge.message).toBe('vnet-animals in the host is switched on, but none of its ports passes packets (veth-fox-br down): a bridge has a carrier once one of its ports has.');
  });
  it("fails for a link administratively down, with the check's own sentence", () => {
    const snap = bridgeLab({ fox: { links: [link('veth-fox', 'veth', { adminUp: false, operState: 'DOWN' })] } });
    expect(judge(c('in: fox\nlink: veth-fox\nup: true'), snap)).toMatchObject({ message: 'Not yet.', evidence: 'fox: veth-fox veth state DOWN (admin down)' });
    expect(judge(c('in: fox\nlink: veth-fox\nup: false'), snap).status).toBe('pass');
  });
  it('fails when the port is on no bridge, or the link is missing', () => {
    expect(judge(c('link: veth-fox-br\nmaster: null')).status).toBe('fail');
    const r = judge(c('link: veth-red-br\nmaster: vnet-animals'));
    expect(r).toMatchObject({ status: 'fail', message: 'There is no link veth-red-br in the host.' });
    expect(r.evidence).toMatch(/^host: there is no link veth-red-br \(links: lo, eth0, vnet-animals/);
    expect(judge(c('link: veth-red-br\nexists: false')).status).toBe('pass');
  });
  it('a missing link: a check about its state says there is no such link, and where one is', () => {
    // lesson 1 step 2 before its solution: "lab0 is up" must not say "lab0 is switched off"
    expect(judge(c('link: lab0\nup: true'))).toMatchObject({ status: 'fail', message: 'There is no link lab0 in the host.', evidence: 'host: there is no link lab0 (links: lo, eth0, vnet-animals, veth-fox-br, veth-bear-br)' });
    expect(judge(c('in: fox\nlink: veth-fox-br\nup: true'))).toMatchObject({ message: 'There is no link veth-fox-br in fox (there is one in host).' });
    // a check about existence (and type) keeps its own sentence, which is about that
    expect(judge(c('link: lab0\ntype: bridge'))).toMatchObject({ status: 'fail', message: 'Not yet.' });
  });
  it('fails when the namespace does not exist, saying so instead of its own sentence', () => {
    const r = judge(c('in: wolf\nlink: lo\nup: true'));
    expect(r).toMatchObject({ status: 'fail', message: 'There is no network namespace wolf.', evidence: 'no namespace wolf (ip netns list: fox, bear)' });
    expect(judge(c('in: wolf\nlink: veth-wolf\nexists: false'))).toMatchObject({ status: 'fail', message: 'There is no network namespace wolf.' });
  });
  it('an address on a link that does not exist says so', () => {
    expect(judge(c('in: fox\naddress: 192.168.202.99/24\ndev: veth-wolf'))).toMatchObject({ status: 'fail', evidence: 'fox: there is no link veth-wolf (links: lo, veth-fox)' });
    // the same address elsewhere is the better evidence
    expect(judge(c('in: fox\naddress: 192.168.202.11/24\ndev: veth-wolf')).evidence).toBe('fox: veth-fox 192.168.202.11/24');
  });
});

describe('a name in /run/netns that is not a namespace', () => {
  const EINVAL = "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument";
  // what src/world/observe records for /run/netns/bear left by `ip netns add bear` inside `ip netns exec fox`
  const plainBear = (error: string, world: Snapshot['world'] = 'sandbox'): Snapshot => ({ ...bridgeLab({ bear: { links: [], addresses: [], routes: [], error } }), world });
  it('fails `netns: bear`, saying it is not a namespace and how to fix it from the host shell', () => {
    const r = judge(c('netns: bear'), plainBear(EINVAL));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^\/run\/netns\/bear exists, but it is not a network namespace: it is a plain file/);
    expect(r.message).toContain('From the host shell');
    expect(r.message).toContain('`ip netns del bear && ip netns add bear`');
    expect(r.evidence).toBe(`bear: /run/netns/bear cannot be entered (${EINVAL})`);
    // the name is taken all the same: `exists: false` does not hold either
    expect(judge(c('netns: bear\nexists: false'), plainBear(EINVAL)).status).toBe('fail');
    // a namespace read without a shell in it records only that ip failed: in a sandbox, that means the same
    expect(judge(c('netns: bear'), plainBear('ip could not read the namespace (exit 1)')).message).toMatch(/is not a network namespace/);
    expect(judge(c('netns: fox'), plainBear(EINVAL))).toMatchObject({ status: 'pass', evidence: 'ip netns list: fox, bear (not a namespace)' });
  });
  it('every check inside it fails with the same sentence, not "no link" or "no address"', () => {
    for (const body of ['in: bear\nlink: lo\nup: true', 'in: bear\naddress: 192.168.202.12/24', 'in: bear\nroute: default', 'in: bear\nlisting: 80'.replace('listing', 'listening'), 'in: bear\nlink: veth-bear\nexists: false']) {
      expect(judge(c(body), plainBear(EINVAL)).message, body).toMatch(/^\/run\/netns\/bear exists, but it is not a network namespace/);
    }
    // a reach from it too, whatever the probe said (ping never ran)
    const reach = c('from: bear\nreach: 127.0.0.1');
    const key = probesNeeded([checkOf(reach)]).map(probeKey)[0]!;
    const probes = { [key]: { outcome: 'no-reply' as const, detail: 'ping 127.0.0.1 from bear: no reply within 250 ms', durationMs: 1 } };
    expect(judge(reach, plainBear(EINVAL), probes).message).toMatch(/^\/run\/netns\/bear exists, but it is not a network namespace/);
  });
  it('on a real host, a namespace this user may not enter cannot be judged', () => {
    expect(judge(c('netns: bear'), plainBear("nsenter: reassociate to namespace 'ns/net' failed: Operation not permitted", 'host')).status).toBe('error');
    expect(judge(c('in: bear\nlink: lo\nup: true'), plainBear('ip could not read the namespace (exit 1)', 'host')).status).toBe('error');
  });
});

describe('netns, address, route, sysctl, listening', () => {
  it('netns present and absent', () => {
    expect(judge(c('netns: fox')).status).toBe('pass');
    expect(judge(c('netns: wolf'))).toMatchObject({ status: 'fail', evidence: 'ip netns list: fox, bear' });
    expect(judge(c('netns: wolf\nexists: false')).status).toBe('pass');
  });
  it('an address must have exactly its prefix', () => {
    expect(judge(c('in: bear\naddress: 192.168.202.12/24\ndev: veth-bear')).status).toBe('pass');
    const snap = bridgeLab({ bear: { addresses: [{ dev: 'veth-bear', family: 'inet', address: '192.168.202.12', prefixlen: 32, scope: 'global' }] } });
    expect(judge(c('in: bear\naddress: 192.168.202.12/24\ndev: veth-bear'), snap)).toMatchObject({ status: 'fail', evidence: 'bear: veth-bear 192.168.202.12/32' });
  });
  it('the gateway on the wrong device', () => {
    expect(judge(c('address: 192.168.202.1/24\ndev: veth-animals')).status).toBe('fail');
    expect(judge(c('address: 192.168.202.1/24\ndev: vnet-animals')).status).toBe('pass');
  });
  it('routes: default via a gateway, and a missing one', () => {
    expect(judge(c('in: fox\nroute: default\nvia: 192.168.202.1')).status).toBe('pass');
    const snap = bridgeLab({ bear: { routes: [{ dst: '192.168.202.0/24', dev: 'veth-bear', type: 'unicast' }] } });
    const r = judge(c('in: bear\nroute: default\nvia: 192.168.202.1'), snap);
    expect(r).toMatchObject({ status: 'fail', evidence: "fox's routing table has this route; the step wants it in bear (bear: no route to default (routes: 192.168.202.0/24 dev veth-bear))" });
    expect(judge(c('in: fox\nroute: default\nvia: 192.168.202.99')).evidence).toBe('fox: default via 192.168.202.1 dev veth-fox');
    expect(judge(c('route: 10.200.1.0/24\nexists: false')).status).toBe('pass');
  });
  it('sysctls from the snapshot, and from a probe when the snapshot lacks them', () => {
    expect(judge(c('sysctl: net.ipv4.ip_forward\nvalue: 1')).status).toBe('pass');
    expect(judge(c('in: fox\nsysctl: net.ipv4.ip_forward\nvalue: 1'))).toMatchObject({
      status: 'fail',
      evidence: 'net.ipv4.ip_forward is 1 in the host; the step wants it in fox (fox: net.ipv4.ip_forward = 0)',
    });
    const name = 'net.ipv4.ip_unprivileged_port_start';
    const probes = { [probeKey({ kind: 'sysctl', in: 'host', name })]: { outcome: 'ok' as const, detail: '', output: '1024\n', durationMs: 1 } };
    expect(judge(c(`sysctl: ${name}\nvalue: 1024`), bridgeLab(), probes).status).toBe('pass');
    expect(judge(c(`sysctl: ${name}\nvalue: 1024`)).status).toBe('error');
  });
  it('listening sockets, with a wildcard address counting for any address', () => {
    expect(judge(c('in: fox\nlistening: 80\naddress: 192.168.202.11')).status).toBe('pass');
    expect(judge(c('in: bear\nlistening: 80'))).toMatchObject({
      status: 'fail',
      evidence: 'something listens on port 80 in fox; the step wants it to listen in bear (bear: nothing listens on TCP *:80 (listening: none))',
    });
    expect(judge(c('in: bear\nlistening: 8080')).evidence).toBe('bear: nothing listens on TCP *:8080 (listening: none)');
  });
});

describe('checks as strict as the lesson means (each case passed before)', () => {
  it('an address with a leftover /32 copy beside it fails, naming the copy (lesson 1 step 3, lesson 3 step 3)', () => {
    const snap = bridgeLab({ host: { addresses: [v4('vnet-animals', '192.168.202.1', 32), v4('vnet-animals', '192.168.202.1', 24)] } });
    expect(judge(c('address: 192.168.202.1/24\ndev: vnet-animals'), snap)).toMatchObject({
      status: 'fail',
      message: 'vnet-animals in the host has 192.168.202.1/24, and also a leftover 192.168.202.1/32 on vnet-animals: delete the extra copy (`ip addr del` with its own prefix).',
      evidence: 'host: vnet-animals 192.168.202.1/24, and also 192.168.202.1/32 on vnet-animals',
    });
    // the same address on a second link is a leftover too; absence checks are unchanged
    const twoLinks = bridgeLab({ bear: { addresses: [v4('veth-bear', '192.168.202.12', 24), v4('lo', '192.168.202.12', 24)] } });
    expect(judge(c('in: bear\naddress: 192.168.202.12/24\ndev: veth-bear'), twoLinks).status).toBe('fail');
    expect(judge(c('address: 192.168.202.1/24\ndev: vnet-animals\nexists: false'), snap).status).toBe('fail');
  });
  it('the MASQUERADE check of lesson 6 refuses `-o vnet-animals` and accepts `-o eth0`', () => {
    const check = c('rule:\n  table: nat\n  chain: POSTROUTING\n  out: "! vnet-animals"\n  target: MASQUERADE');
    const withRule = (line: string) => bridgeLab({ host: { iptables: iptables(`*nat\n:POSTROUTING ACCEPT [0:0]\n${line}\nCOMMIT`) } });
    expect(judge(check, withRule('-A POSTROUTING -s 192.168.202.0/24 -o vnet-animals -j MASQUERADE')).status).toBe('fail');
    expect(judge(check, withRule('-A POSTROUTING -s 192.168.202.0/24 -o eth0 -j MASQUERADE')).status).toBe('pass');
  });
  it('"TCP port 80 is forwarded to fox" refuses a DNAT to fox:8080 (lesson 7 step 2)', () => {
    const check = c('rule:\n  table: nat\n  chain: PREROUTING\n  protocol: tcp\n  dport: 80\n  target: DNAT\n  to: 192.168.202.11:80');
    const withRule = (to: string) => bridgeLab({ host: { iptables: iptables(`*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${to}\nCOMMIT`) } });
    expect(judge(check, withRule('192.168.202.11:8080')).status).toBe('fail');
    expect(judge(check, withRule('192.168.202.11')).status).toBe('pass');
    expect(judge(check, withRule('192.168.202.11:80')).status).toBe('pass');
  });
});

describe('wrong namespace: the evidence says where the thing is', () => {
  it('a rule in the host that the step wants in fox', () => {
    const check = c('in: fox\nrule:\n  table: nat\n  chain: POSTROUTING\n  target: MASQUERADE');
    const snap = bridgeLab({ fox: { iptables: iptables('*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT') } });
    expect(judge(check, snap)).toMatchObject({
      status: 'fail',
      message: 'Not yet.',
      evidence: "this rule is in the host's nat table; the step wants it in fox (fox: no rule in nat POSTROUTING (wanted -t nat -A POSTROUTING -j MASQUERADE))",
    });
    // a namespace whose rules were not read (the snapshot's deepIn) shows nothing
    const unread = bridgeLab({ host: { iptables: undefined }, fox: { iptables: iptables('*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT') } });
    expect(judge(check, unread).evidence).not.toContain('the step wants');
    // a count (here: "none") is not about a place
    expect(judge(c('rule:\n  table: nat\n  chain: POSTROUTING\n  target: MASQUERADE\n  count: 0'), bridgeLab()).evidence).not.toContain('the step wants');
  });
  it('a link, an address and a route in another namespace', () => {
    // veth-bear moved into fox instead of bear, with its address and route
    const snap = bridgeLab({
      fox: {
        links: [link('lo', 'loopback'), link('veth-bear', 'veth', { ifindex: 3 })],
        addresses: [v4('veth-bear', '192.168.202.12', 24)],
        routes: [{ dst: '10.200.1.0/24', gateway: '192.168.202.1', dev: 'veth-bear', type: 'unicast' }],
      },
      bear: { links: [link('lo', 'loopback')], addresses: [], routes: [] },
    });
    expect(judge(c('in: bear\nlink: veth-bear'), snap).evidence).toBe('veth-bear is in fox; the step wants it in bear (bear: there is no link veth-bear (links: lo))');
    expect(judge(c('in: bear\naddress: 192.168.202.12/24'), snap).evidence).toBe('192.168.202.12/24 is on veth-bear in fox; the step wants it in bear (bear: any link has no IPv4 address)');
    expect(judge(c('in: bear\nroute: 10.200.1.0/24\nvia: 192.168.202.1'), snap).evidence).toBe("fox's routing table has this route; the step wants it in bear (bear: no route to 10.200.1.0/24 (routes: none))");
  });
  it('says nothing when the thing is here but different (lo down in fox is not "lo is in the host")', () => {
    const snap = bridgeLab({ fox: { links: [link('lo', 'loopback', { adminUp: false, operState: 'DOWN' })] } });
    expect(judge(c('in: fox\nlink: lo\nup: true'), snap).evidence).toBe('fox: lo loopback state DOWN (admin down)');
    const gw = bridgeLab({ bear: { routes: [{ dst: 'default', gateway: '192.168.202.9', dev: 'veth-bear', type: 'unicast' }] } });
    expect(judge(c('in: bear\nroute: default\nvia: 192.168.202.1'), gw).evidence).toBe('bear: default via 192.168.202.9 dev veth-bear');
  });
  it('a policy set in the host that the step wants in fox', () => {
    const snap = bridgeLab({ fox: { iptables: iptables('*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT') } });
    expect(judge(c('in: fox\npolicy: DROP\nchain: FORWARD'), snap).evidence).toBe("the host's filter FORWARD has policy DROP; the step wants it in fox (fox filter: FORWARD policy ACCEPT)");
  });
});

describe('rule and policy checks', () => {
  const masq = c('rule:\n  table: nat\n  chain: POSTROUTING\n  source: 192.168.202.0/24\n  out: "!vnet-animals"\n  target: MASQUERADE');
  it('holds with the rule as evidence', () => {
    expect(judge(masq)).toMatchObject({ status: 'pass', evidence: 'host nat: -A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE' });
  });
  it('fails with the closest rule and what differs', () => {
    const snap = bridgeLab({ host: { iptables: iptables('*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 192.168.202.0/24 -j MASQUERADE\nCOMMIT') } });
    const r = judge(masq, snap);
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatch(/^host nat: -A POSTROUTING -s 192.168.202.0\/24 -j MASQUERADE \(differs in out; wanted -t nat -A POSTROUTING/);
  });
  it('fails with "no rule" when the table is empty, and says when iptables was unreadable', () => {
    const empty = bridgeLab({ host: { iptables: { backend: 'nf_tables', tables: {} } } });
    expect(judge(masq, empty).evidence).toMatch(/^host: no rule in nat POSTROUTING/);
    const unreadable = bridgeLab({ host: { iptables: undefined } });
    expect(judge(masq, unreadable).status).toBe('error');
  });
  it('points at a right rule in the wrong table', () => {
    const snap = bridgeLab({ host: { iptables: iptables('*filter\n-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE\nCOMMIT') } });
    expect(judge(masq, snap).evidence).toMatch(/^host filter: .*differs in table;/);
  });
  it('counts duplicates', () => {
    const dup = '-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE';
    const snap = bridgeLab({ host: { iptables: iptables(`*nat\n${dup}\n${dup}\nCOMMIT`) } });
    const once = c('rule:\n  table: nat\n  chain: POSTROUTING\n  target: MASQUERADE\n  count: 1');
    expect(judge(once, snap)).toMatchObject({ status: 'fail' });
    expect(judge(once, snap).evidence).toMatch(/^host: 2 matching rules/);
    expect(judge(once).status).toBe('pass');
  });
  it('policy checks, both spellings, and an unloaded table', () => {
    expect(judge(c('policy: DROP\nchain: FORWARD')).status).toBe('pass');
    expect(judge(c('policy:\n  chain: FORWARD\n  policy: ACCEPT'))).toMatchObject({ status: 'fail', evidence: 'host filter: FORWARD policy DROP' });
    expect(judge(c('in: fox\npolicy: ACCEPT\nchain: FORWARD')).status).toBe('error');
    const snap = bridgeLab({ fox: { iptables: { backend: 'nf_tables', tables: {} } } });
    expect(judge(c('in: fox\npolicy: ACCEPT\nchain: FORWARD'), snap).status).toBe('pass');
  });
});

describe('files', () => {
  const withFile = (content: string | null) => ({ ...bridgeLab(), files: { '/etc/sysctl.conf': content } });
  it('contains, matches and absence', () => {
    const conf = '# comment\nnet.ipv4.ip_forward = 1\n';
    expect(judge(c('file: /etc/sysctl.conf\ncontains: net.ipv4.ip_forward'), withFile(conf)).status).toBe('pass');
    expect(judge(c('file: /etc/sysctl.conf\nmatches: "^net\\\\.ipv4\\\\.ip_forward\\\\s*=\\\\s*1"'), withFile(conf))).toMatchObject({
      status: 'pass',
      evidence: '/etc/sysctl.conf:2: net.ipv4.ip_forward = 1',
    });
    const r = judge(c('file: /etc/sysctl.conf\nmatches: "^net\\\\.ipv4\\\\.ip_forward\\\\s*=\\\\s*1"'), withFile('# only a comment\n'));
    expect(r).toMatchObject({ status: 'fail', evidence: '/etc/sysctl.conf has no match for /^net\\.ipv4\\.ip_forward\\s*=\\s*1/ (its last line is "# only a comment")' });
    expect(judge(c('file: /etc/sysctl.conf'), withFile(null)).status).toBe('fail');
    expect(judge(c('file: /etc/sysctl.conf\nexists: false'), withFile(null)).status).toBe('pass');
    expect(judge(c('file: /etc/sysctl.conf')).status).toBe('error');
  });
});

describe('probes: reach and shell', () => {
  const reach = c('from: fox\nreach: 198.51.100.10');
  const http = c('from: internet\nreach: 203.0.113.2\nhttp: true\nbody: hello from fox');
  const key = (yaml: string) => probesNeeded([checkOf(yaml)]).map(probeKey)[0]!;
  it('plans one probe per distinct request, and the files to read', () => {
    const checks = checksOf(`${reach}\n${reach.replace('name: it', 'name: again')}\n${http}\n${c('file: /etc/x')}\n${c('shell: test -f /root/notes')}`);
    expect(probesNeeded(checks).map(probeKey)).toEqual(['reach fox 198.51.100.10', 'reach internet 203.0.113.2:80 http /', 'shell test -f /root/notes']);
    expect(filesNeeded(checks)).toEqual(['/etc/x']);
    expect(probesNeeded(checksOf(c('sysctl: net.ipv4.ip_forward\nvalue: 1')))).toEqual([]);
  });
  it('reach holds on a reply, fails on none, and fails: true inverts it', () => {
    const ok = { [key(reach)]: { outcome: 'ok' as const, detail: 'ping 198.51.100.10 from fox: reply in 0.1 ms', durationMs: 5 } };
    const none = { [key(reach)]: { outcome: 'no-reply' as const, detail: 'ping 198.51.100.10 from fox: no reply within 250 ms', durationMs: 250 } };
    expect(judge(reach, bridgeLab(), ok).status).toBe('pass');
    expect(judge(reach, bridgeLab(), none)).toMatchObject({ status: 'fail', evidence: 'ping 198.51.100.10 from fox: no reply within 250 ms' });
    // a check expecting silence has a probe of its own (a shorter wait: see ProbeRequest)
    const fails = c('from: fox\nreach: 198.51.100.10\nfails: true');
    expect(key(fails)).toBe('reach fox 198.51.100.10 silence');
    const silent = (r: Record<string, { outcome: 'ok' | 'no-reply'; detail: string; durationMs: number }>) => ({ [key(fails)]: Object.values(r)[0]! });
    expect(judge(fails, bridgeLab(), silent(none)).status).toBe('pass');
    expect(judge(fails, bridgeLab(), silent(ok)).status).toBe('fail');
  });
  it('a reach from a namespace that does not exist fails with a sentence about that (nothing was sent)', () => {
    const missing = { [key(reach)]: { outcome: 'no-source' as const, detail: 'There is no network namespace fox to send from.', output: 'no namespace fox: /run/netns/fox does not exist', durationMs: 1 } };
    expect(judge(reach, bridgeLab(), missing)).toMatchObject({ status: 'fail', message: 'There is no network namespace fox to send from.', evidence: 'no namespace fox: /run/netns/fox does not exist' });
    const fails = c('from: fox\nreach: 198.51.100.10\nfails: true');
    expect(judge(fails, bridgeLab(), { [key(fails)]: Object.values(missing)[0]! }).status).toBe('fail');
  });
  it('an HTTP reach needs the body', () => {
    const got = (output: string) => ({ [key(http)]: { outcome: 'ok' as const, detail: 'HTTP 200 from 203.0.113.2:80', output, durationMs: 5 } });
    expect(judge(http, bridgeLab(), got('hello from fox\n')).status).toBe('pass');
    const r = judge(http, bridgeLab(), got('<html>default page\n'));
    expect(r).toMatchObject({ status: 'fail' });
    expect(r.evidence).toContain('the body does not contain "hello from fox"');
  });
  it('a skipped or missing probe cannot tell', () => {
    const skipped = { [key(reach)]: { outcome: 'skipped' as const, detail: 'Reachability is only probed inside a sandbox.', durationMs: 0 } };
    expect(judge(reach, bridgeLab(), skipped)).toMatchObject({ status: 'error', message: 'Reachability is only probed inside a sandbox.' });
    expect(judge(reach).status).toBe('error');
  });
  it('shell checks pass on exit 0', () => {
    const sh = c('shell: test -f /root/notes');
    const res = (outcome: 'ok' | 'failed') => ({ [key(sh)]: { outcome, detail: outcome === 'ok' ? 'exit 0' : 'exit 1', durationMs: 3 } });
    expect(judge(sh, bridgeLab(), res('ok')).status).toBe('pass');
    expect(judge(sh, bridgeLab(), res('failed'))).toMatchObject({ status: 'fail', evidence: 'exit 1' });
  });
});

describe('needsSnapshot', () => {
  it('is false only when every check is a probe', async () => {
    const { needsSnapshot } = await import('../src/domain/checks/plan-checks.js');
    expect(needsSnapshot(checksOf(c('from: fox\nreach: 198.51.100.10')))).toBe(false);
    expect(needsSnapshot(checksOf(`${c('shell: "true"')}\n${c('in: fox\nsysctl: net.ipv4.ip_default_ttl\nvalue: 64')}`))).toBe(true);
  });
});
