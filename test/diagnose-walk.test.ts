// The walk over recorded snapshots (pure): the working labs pass both ways with their NAT, and
// faults injected into the recorded data are named where they are. The real-sandbox test
// (diagnose-real.test.ts) proves the same against the kernel.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NamespaceState, NftChain, NftRule, NftState, Snapshot } from '../src/domain/snapshot/snapshot.js';
import { walkPath } from '../src/domain/diagnose/walk.js';
import { judgeReachability } from '../src/domain/diagnose/judge.js';
import { renderDiagnosis } from '../src/domain/diagnose/render-diagnosis.js';
import { runChain } from '../src/domain/diagnose/match-packet.js';
import { parseIptablesSave } from '../src/domain/snapshot/parse-iptables.js';

const load = (name: string): Snapshot => JSON.parse(readFileSync(new URL(`./fixtures/snapshots/${name}.json`, import.meta.url), 'utf8'));
const bridge = load('bridge-lab');
const k8s = load('kubernetes-lab');
const ns = (s: Snapshot, name: string) => s.namespaces.find((n) => n.name === name)!;
const broken = (s: Snapshot, change: (s: Snapshot) => void): Snapshot => {
  const c = structuredClone(s);
  change(c);
  return c;
};
const down = (n: NamespaceState, link: string) => Object.assign(n.links.find((l) => l.name === link)!, { adminUp: false, lowerUp: false, operState: 'DOWN' });

describe('walkPath on the working labs', () => {
  it('fox -> the internet: routed by host with MASQUERADE, and back un-NATed', () => {
    const r = walkPath(bridge, 'fox', { address: '198.51.100.10' });
    expect(r.passed).toBe(true);
    expect(r.path.map((h) => `${h.direction}:${h.namespace}`)).toEqual(['there:fox', 'there:host', 'there:internet', 'back:internet', 'back:host', 'back:fox']);
    expect(r.path[1]).toMatchObject({ in: 'vnet-animals', out: 'eth0', via: '203.0.113.1', nat: 'MASQUERADE 192.168.202.11 -> 203.0.113.2' });
  });

  it('a pod -> a ClusterIP: DNAT through kube-proxy-style chains, across both nodes', () => {
    const r = walkPath(k8s, 'pod-a', { address: '10.96.0.10', port: 80 });
    expect(r.passed).toBe(true);
    expect(r.nat).toContainEqual(expect.objectContaining({ namespace: 'node1', kind: 'dnat', after: { address: '10.244.2.2', port: 80 } }));
    expect(r.path.filter((h) => h.direction === 'there').map((h) => h.namespace)).toEqual(['pod-a', 'node1', 'host', 'node2', 'pod-b']);
  });
});

describe('walkPath names injected faults', () => {
  const cases: Array<[string, Snapshot, string, string, number | undefined, string, string]> = [
    ['ip_forward off', broken(bridge, (s) => (ns(s, 'host').sysctls['net.ipv4.ip_forward'] = '0')), 'fox', '198.51.100.10', undefined, 'ip-forward-off', 'host'],
    ['veth end down in fox', broken(bridge, (s) => down(ns(s, 'fox'), 'veth-fox')), 'fox', '198.51.100.10', undefined, 'link-down', 'fox'],
    ['bridge port down', broken(bridge, (s) => down(ns(s, 'host'), 'veth-bear-br')), 'fox', '192.168.202.12', undefined, 'link-down', 'host'],
    ['bridge down', broken(bridge, (s) => down(ns(s, 'host'), 'vnet-animals')), 'fox', '192.168.202.12', undefined, 'bridge-down', 'host'],
    ['no MASQUERADE', broken(bridge, (s) => (ns(s, 'host').iptables!.tables.nat!.rules = ns(s, 'host').iptables!.tables.nat!.rules.filter((r) => r.chain !== 'POSTROUTING'))), 'fox', '198.51.100.10', undefined, 'masquerade-missing', 'host'],
    ['nothing on port 81', bridge, 'bear', '192.168.202.11', 81, 'not-listening', 'fox'],
    ['no route between the podCIDRs', broken(k8s, (s) => {
      ns(s, 'node1').routes = ns(s, 'node1').routes.filter((r) => r.dst !== '10.244.2.0/24');
      ns(s, 'host').routes = ns(s, 'host').routes.filter((r) => r.dst !== '10.244.2.0/24');
    }), 'pod-a', '10.244.2.2', undefined, 'no-route', 'host'],
  ];
  it.each(cases)('%s', (_name, snap, from, address, port, kind, where) => {
    const r = walkPath(snap, from, { address, ...(port ? { port } : {}) });
    expect(r.passed).toBe(false);
    expect(r.fault).toMatchObject({ kind, namespace: where });
  });
});

describe('the route, the neighbour entry and the next hop', () => {
  it('a gateway nobody has, with the router on the link: fix the route, the address as the alternative', () => {
    const snap = broken(bridge, (s) => (ns(s, 'fox').routes.find((r) => r.dst === 'default')!.gateway = '192.168.202.254'));
    const r = walkPath(snap, 'fox', { address: '198.51.100.10' });
    expect(r.fault).toMatchObject({ kind: 'wrong-gateway', namespace: 'fox', fix: ['ip -n fox route replace default via 192.168.202.1'] });
    expect(r.fault!.evidence[0]).toEqual({ command: 'ip -n fox route show default', line: 'default via 192.168.202.254 dev veth-fox' });
    expect(r.notes.join(' ')).toContain('ip addr add 192.168.202.254/24 dev vnet-animals');
  });

  it('a gateway nobody has, and no router on the link: the address is what is missing', () => {
    const snap = broken(bridge, (s) => {
      ns(s, 'fox').routes.find((r) => r.dst === 'default')!.gateway = '192.168.202.254';
      ns(s, 'host').sysctls['net.ipv4.ip_forward'] = '0';
    });
    expect(walkPath(snap, 'fox', { address: '198.51.100.10' }).fault).toMatchObject({ kind: 'gateway-missing', fix: ['ip addr add 192.168.202.254/24 dev vnet-animals'] });
  });

  it('a neighbour entry with another MAC than the next hop owner: delete it', () => {
    const snap = broken(bridge, (s) => Object.assign(ns(s, 'fox').neighbours.find((n) => n.address === '192.168.202.1')!, { lladdr: '02:00:00:00:00:01', state: ['PERMANENT'] }));
    const r = walkPath(snap, 'fox', { address: '198.51.100.10' });
    expect(r.fault).toMatchObject({ kind: 'neighbour-wrong-mac', namespace: 'fox', fix: ['ip -n fox neigh del 192.168.202.1 dev veth-fox'] });
    expect(r.fault!.evidence.map((e) => e.line)).toEqual(['192.168.202.1 dev veth-fox lladdr 02:00:00:00:00:01 PERMANENT', expect.stringMatching(/^vnet-animals UP 8e:66:57:9f:bd:a6 /)]);
    expect(r.fault!.what).toContain('never corrects a permanent entry');
  });

  it('names whose MAC a wrong entry holds; a failed or incomplete entry is no evidence', () => {
    const bearMac = ns(bridge, 'bear').links.find((l) => l.name === 'veth-bear')!.mac!;
    const entry = (state: string[]) => broken(bridge, (s) => Object.assign(ns(s, 'fox').neighbours.find((n) => n.address === '192.168.202.1')!, { lladdr: bearMac, state }));
    expect(walkPath(entry(['STALE']), 'fox', { address: '198.51.100.10' }).fault?.what).toContain("(bear's veth-bear)");
    expect(walkPath(entry(['FAILED']), 'fox', { address: '198.51.100.10' }).passed).toBe(true);
  });
});

describe('native nftables on the way', () => {
  const chain = (over: Partial<NftChain>): NftChain => ({ family: 'inet', table: 'filter', name: 'forward', type: 'filter', hook: 'forward', priority: 0, policy: 'drop', ...over });
  const rule = (text: string, matches: NftRule['matches'], action = 'accept', handle = 2): NftRule => ({ family: 'inet', table: 'filter', chain: 'forward', handle, matches, action, text });
  const withNft = (nft: NftState, where = 'host') => broken(bridge, (s) => (ns(s, where).nftables = nft));
  const fox = (s: Snapshot) => walkPath(s, 'fox', { address: '198.51.100.10' });

  it('a forward chain with policy drop and no rule for the packet is the fault, with rules that let it through', () => {
    const r = fox(withNft({ chains: [chain({})], rules: [rule('tcp dport 22 accept', [{ key: 'tcp dport', op: '==', values: ['22'] }])] }));
    expect(r.fault).toMatchObject({ kind: 'nft-forward-policy', namespace: 'host' });
    expect(r.fault!.what).toContain('nft chain inet filter forward in host drops icmp 192.168.202.11 -> 198.51.100.10 by policy');
    expect(r.fault!.fix).toEqual([
      'nft add rule inet filter forward iifname vnet-animals oifname eth0 accept',
      'nft add rule inet filter forward iifname eth0 oifname vnet-animals ct state established,related accept',
    ]);
  });

  it('passes when its rules accept both ways', () => {
    const r = fox(withNft({
      chains: [chain({})],
      rules: [
        rule('iifname "vnet-*" accept', [{ key: 'iifname', op: '==', values: ['vnet-*'] }]),
        rule('ct state established,related accept', [{ key: 'ct state', op: '==', values: ['established', 'related'] }], 'accept', 3),
      ],
    }));
    expect(r.passed).toBe(true);
    expect(r.suspects).toEqual([]);
  });

  it('a rule that drops, found through a jump, is named by its handle', () => {
    const r = fox(withNft({
      chains: [chain({ policy: 'accept' }), { family: 'inet', table: 'filter', name: 'mine' }],
      rules: [rule('jump mine', [], 'jump', 2), { ...rule('ip saddr 192.168.202.0/24 drop', [{ key: 'ip saddr', op: '==', values: ['192.168.202.0/24'] }], 'drop', 5), chain: 'mine' }].map((x) => (x.action === 'jump' ? { ...x, target: 'mine' } : x)),
    }));
    expect(r.fault).toMatchObject({ kind: 'nft-forward-drop', fix: ['nft delete rule inet filter forward handle 5'] });
    expect(r.fault!.evidence[0]!.line).toBe('ip saddr 192.168.202.0/24 drop # handle 5');
  });

  it('a chain iptables-nft made is judged once, through iptables-save', () => {
    const snap = broken(bridge, (s) => {
      const host = ns(s, 'host');
      host.iptables!.tables.filter = { chains: { FORWARD: { policy: 'ACCEPT' } }, rules: [] };
      host.nftables = { chains: [chain({ family: 'ip', table: 'filter', name: 'FORWARD' })], rules: [] };
    });
    expect(fox(snap).passed).toBe(true);
  });

  it('policy drop with a rule it cannot judge: the walk goes on, and the chain is the likely cause when the probe fails', () => {
    const snap = withNft({ chains: [chain({})], rules: [rule('meta mark 1 accept', [{ key: 'meta mark', op: '==', values: ['1'] }])] });
    const r = fox(snap);
    expect(r.passed).toBe(true);
    expect(r.suspects[0]).toMatchObject({ namespace: 'host', chain: 'inet filter forward' });
    const d = judgeReachability(snap, 'fox', { address: '198.51.100.10' }, { outcome: 'no-reply', detail: 'ping 198.51.100.10 from fox: no reply within 250 ms', durationMs: 250 });
    expect(d.verdict).toBe('unreachable');
    expect(d.notes.join(' ')).toContain('The likely cause: the nft chain inet filter forward in host: its policy drops');
    expect(d.notes.join(' ').match(/the nft chain/g)).toHaveLength(1);
    expect(judgeReachability(snap, 'fox', { address: '198.51.100.10' }).verdict).toBe('unknown');
  });

  it('a test that fails decides even beside one it cannot judge', () => {
    const r = fox(withNft({ chains: [chain({ policy: 'accept' })], rules: [rule('meta mark 1 tcp dport 22 drop', [{ key: 'meta mark', op: '==', values: ['1'] }, { key: 'tcp dport', op: '==', values: ['22'] }], 'drop')] }));
    expect(r.passed).toBe(true);
    expect(r.suspects).toEqual([]);
  });

  it('native nft NAT is applied like iptables NAT: masquerade there, un-NAT back', () => {
    const snap = broken(bridge, (s) => {
      const host = ns(s, 'host');
      host.iptables!.tables.nat!.rules = host.iptables!.tables.nat!.rules.filter((r) => r.chain !== 'POSTROUTING');
      host.nftables = {
        chains: [{ family: 'ip', table: 'lab', name: 'post', type: 'nat', hook: 'postrouting', priority: 100, policy: 'accept' }],
        rules: [{ family: 'ip', table: 'lab', chain: 'post', handle: 3, matches: [{ key: 'oifname', op: '!=', values: ['vnet-animals'] }], action: 'masquerade', text: 'oifname != "vnet-animals" masquerade' }],
      };
    });
    const r = fox(snap);
    expect(r.passed).toBe(true);
    expect(r.path[1]).toMatchObject({ namespace: 'host', nat: 'MASQUERADE 192.168.202.11 -> 203.0.113.2' });
  });
});

describe('the verdict and its text', () => {
  it('trusts the probe, and says so when the walk disagrees', () => {
    const d = judgeReachability(broken(bridge, (s) => (ns(s, 'host').sysctls['net.ipv4.ip_forward'] = '0')), 'fox', { address: '198.51.100.10' }, { outcome: 'ok', detail: 'ping 198.51.100.10 from fox: reply', durationMs: 1 });
    expect(d.verdict).toBe('reachable');
    expect(d.notes.join(' ')).toContain('the probe got through');
  });

  it('prints the fault with evidence and fix', () => {
    const d = judgeReachability(broken(bridge, (s) => (ns(s, 'host').sysctls['net.ipv4.ip_forward'] = '0')), 'fox', { address: '198.51.100.10' }, { outcome: 'no-reply', detail: 'ping 198.51.100.10 from fox: no reply within 250 ms', tried: 'ping 198.51.100.10 from fox', durationMs: 250 });
    expect(renderDiagnosis(d)).toMatchInlineSnapshot(`
      "fox -> 198.51.100.10 (ping): NOT reachable (no reply within 250 ms)

      First hop that cannot pass: host
        what:     host does not forward: net.ipv4.ip_forward is 0, so it drops packets from vnet-animals meant for 198.51.100.10.
        evidence: net.ipv4.ip_forward = 0
                  (seen with: sysctl net.ipv4.ip_forward)
        fix:      sysctl -w net.ipv4.ip_forward=1

        walked there:
          fox  sent out veth-fox via 192.168.202.1
      "
    `);
  });
});

describe('runChain', () => {
  const ipt = parseIptablesSave(['*filter', ':FORWARD DROP [0:0]', ':USER - [0:0]', '-A FORWARD -j USER', '-A USER -i br0 -o eth0 -j ACCEPT', '-A USER -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', 'COMMIT'].join('\n'));
  const ctx = (i: string, o: string, ctstate: 'NEW' | 'ESTABLISHED' = 'NEW') => ({ in: i, out: o, ctstate, isLocal: () => false });
  const p = { src: '10.0.0.2', dst: '1.1.1.1', protocol: 'icmp' as const };
  it('follows jumps into user chains and falls back to the policy', () => {
    expect(runChain(ipt, 'filter', 'FORWARD', p, ctx('br0', 'eth0')).verdict).toBe('ACCEPT');
    expect(runChain(ipt, 'filter', 'FORWARD', p, ctx('eth0', 'br0')).verdict).toBe('policy:DROP');
    expect(runChain(ipt, 'filter', 'FORWARD', p, ctx('eth0', 'br0', 'ESTABLISHED')).verdict).toBe('ACCEPT');
  });
});

describe('bad input', () => {
  it('says what a target must look like', async () => {
    const { parseTarget } = await import('../src/app/diagnose/diagnose.js');
    const { AbortError } = await import('../src/domain/errors.js');
    expect(parseTarget('192.168.202.11:80')).toEqual({ address: '192.168.202.11', port: 80 });
    expect(() => parseTarget('example.com')).toThrow(AbortError);
    expect(() => parseTarget('10.0.0.1:70000')).toThrow(/out of range/);
  });
  it('map refuses a width it cannot draw in', async () => {
    const { parseWidth } = await import('../src/cli/map.js');
    expect(parseWidth(undefined, 132)).toBe(132);
    expect(parseWidth(undefined, undefined)).toBe(100);
    expect(() => parseWidth(5, 80)).toThrow(/--width/);
  });
});
