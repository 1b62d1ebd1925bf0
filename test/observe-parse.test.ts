// The snapshot parsers against recorded script output (test/fixtures/snapshots/*.raw.txt, made
// by record.ts in a real sandbox) and against small hand-written cases for the edges.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../src/domain/snapshot/parse-snapshot.js';
import { parseSections } from '../src/domain/snapshot/parse-sections.js';
import { parseIptablesSave, splitRuleWords } from '../src/domain/snapshot/parse-iptables.js';
import { parseConntrackLine } from '../src/domain/snapshot/parse-conntrack.js';
import { parseListening } from '../src/domain/snapshot/parse-ss.js';
import { parseSysctls, sysctlName } from '../src/domain/snapshot/parse-sysctls.js';
import { parseIpBatch } from '../src/domain/snapshot/parse-ip.js';
import { resolvePeers } from '../src/domain/snapshot/resolve-peers.js';
import type { ParsedLink } from '../src/domain/snapshot/parse-ip.js';

const raw = (name: string) => readFileSync(new URL(`./fixtures/snapshots/${name}.raw.txt`, import.meta.url), 'utf8');
const ns = (snap: ReturnType<typeof parseSnapshot>, name: string) => snap.namespaces.find((n) => n.name === name)!;

describe('parseSnapshot on the recorded bridge lab', () => {
  const snap = parseSnapshot(raw('bridge-lab'));

  it('lists the host first, the named namespaces, then the internet', () => {
    expect(snap.world).toBe('sandbox');
    expect(snap.namespaces.map((n) => [n.name, n.kind])).toEqual([
      ['host', 'host'],
      ['bear', 'named'],
      ['fox', 'named'],
      ['internet', 'upstream'],
    ]);
    expect(snap.files).toEqual({ '/etc/hostname': expect.any(String) });
  });

  it('reads links with state, master, bridge port state and veth peers across namespaces', () => {
    const port = ns(snap, 'host').links.find((l) => l.name === 'veth-fox-br')!;
    expect(port).toMatchObject({ type: 'veth', adminUp: true, lowerUp: true, master: 'vnet-animals', portState: 'forwarding' });
    expect(port.peer).toMatchObject({ namespace: 'fox', name: 'veth-fox' });
    expect(ns(snap, 'fox').links.find((l) => l.name === 'veth-fox')!.peer).toMatchObject({ namespace: 'host', name: 'veth-fox-br' });
    expect(ns(snap, 'host').links.find((l) => l.name === 'eth0')!.peer).toMatchObject({ namespace: 'internet', name: 'eth0' });
    expect(ns(snap, 'host').links.find((l) => l.name === 'vnet-animals')).toMatchObject({ type: 'bridge' });
    expect(ns(snap, 'fox').links.find((l) => l.name === 'lo')).toMatchObject({ type: 'loopback', operState: 'UNKNOWN', adminUp: true });
  });

  it('reads addresses, routes, neighbours and sysctls', () => {
    const fox = ns(snap, 'fox');
    expect(fox.addresses).toContainEqual({ dev: 'veth-fox', family: 'inet', address: '192.168.202.11', prefixlen: 24, scope: 'global' });
    expect(fox.routes).toContainEqual(expect.objectContaining({ dst: 'default', gateway: '192.168.202.1', dev: 'veth-fox', type: 'unicast' }));
    expect(fox.routes).toContainEqual(expect.objectContaining({ dst: '192.168.202.0/24', dev: 'veth-fox', scope: 'link', prefsrc: '192.168.202.11' }));
    expect(fox.neighbours.some((n) => n.address === '192.168.202.1' && n.dev === 'veth-fox')).toBe(true);
    expect(ns(snap, 'host').sysctls['net.ipv4.ip_forward']).toBe('1');
    expect(fox.sysctls['net.ipv4.ip_forward']).toBe('0');
    expect(fox.sysctls['net.ipv4.conf.veth-fox.rp_filter']).toMatch(/^[012]$/);
    expect(ns(snap, 'internet').addresses.map((a) => a.address)).toEqual(expect.arrayContaining(['198.51.100.10', '192.0.2.10', '203.0.113.1']));
  });

  it('reads iptables rules by table and chain, with the backend', () => {
    const ipt = ns(snap, 'host').iptables!;
    expect(ipt.backend).toBe('nf_tables');
    expect(ipt.tables.nat!.chains.POSTROUTING).toEqual({ policy: 'ACCEPT' });
    expect(ipt.tables.nat!.rules).toContainEqual({
      table: 'nat',
      chain: 'POSTROUTING',
      args: ['-s', '192.168.202.0/24', '!', '-o', 'vnet-animals', '-j', 'MASQUERADE'],
      text: '-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE',
      matches: [
        { kind: 'source', cidr: '192.168.202.0/24', negated: false },
        { kind: 'out-interface', name: 'vnet-animals', negated: true },
      ],
      target: { name: 'MASQUERADE', options: [], kind: 'masquerade' },
    });
    // a namespace without rules has iptables read, and empty
    expect(ns(snap, 'fox').iptables).toEqual({ backend: 'nf_tables', tables: {} });
  });

  it('reads conntrack and listening sockets', () => {
    expect(ns(snap, 'host').conntrack!.some((e) => e.protocol === 'icmp' && e.original.src === '192.168.202.11' && e.reply.dst === '203.0.113.2')).toBe(true);
    expect(ns(snap, 'fox').listening).toEqual([{ address: '0.0.0.0', port: 80 }]);
    expect(ns(snap, 'bear').listening).toEqual([]);
  });

  it('serialises to JSON and back unchanged', () => {
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });
});

describe('parseSnapshot on the recorded Kubernetes lab', () => {
  const snap = parseSnapshot(raw('kubernetes-lab'));
  it('pairs veths whose ifindexes repeat in several namespaces', () => {
    const peers = snap.namespaces.flatMap((n) => n.links.filter((l) => l.peer).map((l) => `${n.name}/${l.name} -> ${l.peer!.namespace}/${l.peer!.name}`));
    expect(peers.sort()).toEqual(
      [
        'host/eth0 -> internet/eth0',
        'host/veth-node1 -> node1/eth0',
        'host/veth-node2 -> node2/eth0',
        'internet/eth0 -> host/eth0',
        'node1/eth0 -> host/veth-node1',
        'node1/veth-pod-a -> pod-a/eth0',
        'node2/eth0 -> host/veth-node2',
        'node2/veth-pod-b -> pod-b/eth0',
        'pod-a/eth0 -> node1/veth-pod-a',
        'pod-b/eth0 -> node2/veth-pod-b',
      ].sort(),
    );
    expect(ns(snap, 'node1').links.find((l) => l.name === 'veth-pod-a')!.hairpin).toBe(true);
  });
  it('keeps comments in rule words', () => {
    const rule = ns(snap, 'node1').iptables!.tables.nat!.rules.find((r) => r.chain === 'KUBE-SERVICES')!;
    expect(rule.args).toContain('default/web cluster IP');
    expect(ns(snap, 'node1').iptables!.tables.nat!.chains['KUBE-SVC-WEB']).toEqual({ policy: '-' });
  });
});

describe('the parts', () => {
  it('keeps a part exactly as printed, with or without a final newline', () => {
    const out = '\x1ens host host\n\x1epart a\nx\ny\n\n\x1erc 0\n\x1epart b\nz\n\x1erc 3\n\x1efile /f\n\n\x1erc 1\n';
    const r = parseSections(out);
    expect(r.namespaces[0]!.parts).toEqual({ a: { text: 'x\ny\n', rc: 0 }, b: { text: 'z', rc: 3 } });
    expect(r.files['/f']).toEqual({ text: '', rc: 1 });
  });

  it('marks a namespace that could not be entered, and absent or denied iptables as unknown', () => {
    const out = [
      '\x1eworld ',
      '\x1ens host host',
      '\x1epart ip',
      '[]\n[]\n[]\n[]\n[]',
      '\x1erc 0',
      '\x1epart iptables',
      '',
      '\x1erc 1',
      '\x1ens named cni-1234',
      '\x1epart error',
      "nsenter: reassociate to namespace 'ns/net' failed: Operation not permitted",
      '\x1erc 1',
      '',
    ].join('\n');
    const snap = parseSnapshot(out);
    expect(snap.world).toBe('host');
    expect(snap.namespaces[0]!.iptables).toBeUndefined();
    expect(snap.namespaces[0]!.error).toBeUndefined();
    expect(snap.namespaces[1]).toMatchObject({ name: 'cni-1234', kind: 'named', links: [], error: expect.stringContaining('Operation not permitted') });
  });

  it('recognises the ip arrays by shape when one command of the batch failed', () => {
    const ip = parseIpBatch('[{"ifindex":1,"ifname":"lo","flags":["UP"],"operstate":"UNKNOWN","link_type":"loopback","mtu":65536}]\n[{"dst":"default","gateway":"10.0.0.1","dev":"eth0","flags":[]}]\n');
    expect(ip.links.map((l) => l.name)).toEqual(['lo']);
    expect(ip.routes).toEqual([{ dst: 'default', gateway: '10.0.0.1', dev: 'eth0', type: 'unicast' }]);
  });

  it('names the peer of a veth whose two ends are in one namespace (ip gives its name, no link_index)', () => {
    const ip = parseIpBatch(
      '[{"ifindex":3,"link":"veth-bear","ifname":"veth-fox","flags":["BROADCAST"],"operstate":"DOWN","mtu":1500,"linkinfo":{"info_kind":"veth"}},' +
        '{"ifindex":4,"link":"veth-fox","ifname":"veth-bear","flags":["BROADCAST"],"operstate":"DOWN","mtu":1500,"linkinfo":{"info_kind":"veth"}}]\n',
    );
    expect(ip.links.map((l) => [l.name, l.peer?.ifindex, l.peerNetnsid])).toEqual([
      ['veth-fox', 4, undefined],
      ['veth-bear', 3, undefined],
    ]);
  });

  it('splits iptables words with quotes', () => {
    expect(splitRuleWords('-A X -m comment --comment "a \\"b\\" c" -j ACCEPT')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'a "b" c', '-j', 'ACCEPT']);
    const s = parseIptablesSave('# Generated by iptables-save v1.8.7 (legacy)\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [3:180]\n-A FORWARD -i br0 -j ACCEPT\nCOMMIT\n');
    expect(s.backend).toBe('legacy');
    expect(s.tables.filter!.chains.FORWARD).toEqual({ policy: 'DROP' });
  });

  it('parses conntrack tuples and flags', () => {
    const e = parseConntrackLine('tcp      6 117 SYN_SENT src=192.168.202.11 dst=198.51.100.10 sport=40000 dport=80 [UNREPLIED] src=198.51.100.10 dst=192.168.202.11 sport=80 dport=40000 mark=0 use=1')!;
    expect(e).toMatchObject({
      protocol: 'tcp',
      original: { src: '192.168.202.11', dst: '198.51.100.10', sport: 40000, dport: 80 },
      reply: { src: '198.51.100.10', dst: '192.168.202.11', sport: 80, dport: 40000 },
    });
    expect(e.flags).toEqual(['SYN_SENT', 'UNREPLIED']);
  });

  it('parses listening sockets in every address form', () => {
    expect(parseListening('LISTEN 0 511 0.0.0.0:80 0.0.0.0:*\nLISTEN 0 4096 [::]:22 [::]:*\nLISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*\nLISTEN 0 5 *:8080 *:*\n')).toEqual([
      { address: '0.0.0.0', port: 80 },
      { address: '::', port: 22 },
      { address: '127.0.0.53', port: 53 },
      { address: '0.0.0.0', port: 8080 },
    ]);
  });

  it('names sysctls as sysctl does', () => {
    expect(sysctlName('/proc/sys/net/ipv4/conf/eth0.100/rp_filter')).toBe('net.ipv4.conf.eth0/100.rp_filter');
    expect(parseSysctls('/proc/sys/net/ipv4/ip_forward:1\n')).toEqual({ 'net.ipv4.ip_forward': '1' });
  });

  it('leaves a peer unnamed rather than guess between equal candidates', () => {
    const veth = (name: string, ifindex: number, peer: number, nsid: number): ParsedLink => ({
      name, ifindex, type: 'veth', adminUp: true, operState: 'UP', lowerUp: true, flags: [], mtu: 1500, peer: { ifindex: peer }, peerNetnsid: nsid,
    });
    const [a] = resolvePeers([
      { name: 'a', links: [veth('x', 2, 4, 0)], nsidNames: {} },
      { name: 'b', links: [veth('y', 4, 2, 5)], nsidNames: {} },
      { name: 'c', links: [veth('z', 4, 2, 7)], nsidNames: {} },
    ]);
    expect(a![0]!.peer).toEqual({ ifindex: 4 });
  });
});
