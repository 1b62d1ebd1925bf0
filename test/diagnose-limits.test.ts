// The walk over the recorded bridge lab (pure) for what a hop may refuse beyond routes and the
// filter table: pings ignored, DROP in raw/mangle/security in the kernel's table order, ARP off on
// either end of a link, and an MTU smaller than the packet (fragmented where it is made, dropped
// where a veth, a bridge port or a router with DF cannot pass it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Link, NamespaceState, Snapshot } from '../src/domain/snapshot/snapshot.js';
import { walkPath } from '../src/domain/diagnose/walk.js';
import { parseIptablesSave } from '../src/domain/snapshot/parse-iptables.js';

const bridge: Snapshot = JSON.parse(readFileSync(new URL('./fixtures/snapshots/bridge-lab.json', import.meta.url), 'utf8'));
const ns = (s: Snapshot, name: string) => s.namespaces.find((n) => n.name === name)!;
const link = (n: NamespaceState, name: string) => n.links.find((l) => l.name === name)!;
const broken = (change: (s: Snapshot) => void): Snapshot => {
  const c = structuredClone(bridge);
  change(c);
  return c;
};
/** Adds iptables-save tables to a namespace's (keeping its nat table). */
const addTables = (n: NamespaceState, save: string) => Object.assign(n.iptables!.tables, parseIptablesSave(save).tables);
const noArp = (l: Link) => l.flags.splice(l.flags.indexOf('UP'), 0, 'NOARP');
const ping = (s: Snapshot, from: string, to: string) => walkPath(s, from, { address: to });

describe('pings the destination ignores', () => {
  const s = broken((c) => (ns(c, 'fox').sysctls['net.ipv4.icmp_echo_ignore_all'] = '1'));
  it('is the fault for a ping, in the destination', () => {
    expect(ping(s, 'bear', '192.168.202.11').fault).toEqual({
      kind: 'icmp-ignored',
      namespace: 'fox',
      what: 'fox ignores every ping: net.ipv4.icmp_echo_ignore_all is 1, so the echo request to 192.168.202.11 arrives but is never answered.',
      evidence: [{ command: 'ip netns exec fox sysctl net.ipv4.icmp_echo_ignore_all', line: 'net.ipv4.icmp_echo_ignore_all = 1' }],
      fix: ['ip netns exec fox sysctl -w net.ipv4.icmp_echo_ignore_all=0'],
    });
  });
  it('does not matter for TCP', () => {
    expect(walkPath(s, 'bear', { address: '192.168.202.11', port: 80 }).passed).toBe(true);
  });
});

describe('raw, mangle and security chains', () => {
  const table = (name: string, chains: string[], rules: string[], policy = 'ACCEPT') => [`*${name}`, ...chains.map((c) => `:${c} ${policy} [0:0]`), ...rules, 'COMMIT'].join('\n');
  const out = (s: Snapshot) => ping(s, 'fox', '198.51.100.10');

  it('a DROP in raw PREROUTING is named with its table, and deleted with -t', () => {
    const r = out(broken((c) => addTables(ns(c, 'host'), table('raw', ['PREROUTING', 'OUTPUT'], ['-A PREROUTING -s 192.168.202.11/32 -j DROP']))));
    expect(r.fault).toEqual({
      kind: 'raw-prerouting-drop',
      namespace: 'host',
      what: "A rule in host's raw table, chain PREROUTING, drops icmp 192.168.202.11 -> 198.51.100.10.",
      evidence: [{ command: 'iptables -t raw -S PREROUTING', line: '-A PREROUTING -s 192.168.202.11/32 -j DROP' }],
      fix: ['iptables -t raw -D PREROUTING -s 192.168.202.11/32 -j DROP'],
    });
  });

  it('raw comes before mangle, mangle FORWARD before filter FORWARD, security after it', () => {
    const raw = table('raw', ['PREROUTING'], ['-A PREROUTING -p icmp -j DROP']);
    const mangle = table('mangle', ['PREROUTING', 'FORWARD'], ['-A PREROUTING -p icmp -j DROP', '-A FORWARD -p icmp -j DROP']);
    const filter = table('filter', ['FORWARD'], ['-A FORWARD -p icmp -j DROP']);
    const security = table('security', ['FORWARD'], ['-A FORWARD -p icmp -j DROP']);
    expect(out(broken((c) => addTables(ns(c, 'host'), [security, filter, mangle, raw].join('\n')))).fault?.kind).toBe('raw-prerouting-drop');
    expect(out(broken((c) => addTables(ns(c, 'host'), [security, filter, table('mangle', ['FORWARD'], ['-A FORWARD -p icmp -j DROP'])].join('\n')))).fault?.kind).toBe('mangle-forward-drop');
    expect(out(broken((c) => addTables(ns(c, 'host'), [security, filter].join('\n')))).fault?.kind).toBe('forward-drop');
    expect(out(broken((c) => addTables(ns(c, 'host'), security))).fault?.kind).toBe('security-forward-drop');
  });

  it('an ACCEPT in mangle ends mangle only: filter still judges', () => {
    const r = out(broken((c) => addTables(ns(c, 'host'), [table('mangle', ['FORWARD'], ['-A FORWARD -j ACCEPT']), table('filter', ['FORWARD'], ['-A FORWARD -s 192.168.202.11/32 -j DROP'])].join('\n'))));
    expect(r.fault?.kind).toBe('forward-drop');
  });

  it('a DROP policy in mangle is put back to ACCEPT', () => {
    const r = ping(broken((c) => (ns(c, 'bear').iptables = parseIptablesSave(table('mangle', ['INPUT'], [], 'DROP')))), 'fox', '192.168.202.12');
    expect(r.fault).toMatchObject({ kind: 'mangle-input-policy', namespace: 'bear', fix: ['ip netns exec bear iptables -t mangle -P INPUT ACCEPT'] });
  });

  it('mangle OUTPUT in the sender, mangle POSTROUTING in the router, and the reply through raw PREROUTING', () => {
    expect(out(broken((c) => (ns(c, 'fox').iptables = parseIptablesSave(table('mangle', ['OUTPUT'], ['-A OUTPUT -p icmp -j DROP']))))).fault).toMatchObject({ kind: 'mangle-output-drop', namespace: 'fox' });
    expect(out(broken((c) => addTables(ns(c, 'host'), table('mangle', ['POSTROUTING'], ['-A POSTROUTING -o eth0 -j DROP'])))).fault).toMatchObject({ kind: 'mangle-postrouting-drop', namespace: 'host' });
    // the reply still has the translated destination when raw sees it
    const back = out(broken((c) => addTables(ns(c, 'host'), table('raw', ['PREROUTING'], ['-A PREROUTING -d 203.0.113.2/32 -i eth0 -j DROP']))));
    expect(back.fault).toMatchObject({ kind: 'raw-prerouting-drop', namespace: 'host' });
    expect(back.path.some((h) => h.direction === 'back')).toBe(true);
  });

  it('with br_netfilter, bridged frames pass mangle FORWARD too', () => {
    const s = broken((c) => {
      ns(c, 'host').sysctls['net.bridge.bridge-nf-call-iptables'] = '1';
      addTables(ns(c, 'host'), table('mangle', ['FORWARD'], ['-A FORWARD -p icmp -j DROP']));
    });
    const r = ping(s, 'fox', '192.168.202.12');
    expect(r.fault).toMatchObject({ kind: 'mangle-forward-drop', namespace: 'host' });
    expect(r.fault!.what).toContain('bridge-nf-call-iptables = 1');
  });
});

describe('ARP off', () => {
  it('on the destination: it does not answer; an unanswered entry in the sender is flushed too', () => {
    const s = broken((c) => {
      noArp(link(ns(c, 'bear'), 'veth-bear'));
      Object.assign(ns(c, 'fox').neighbours.find((n) => n.address === '192.168.202.12')!, { state: ['INCOMPLETE'], lladdr: undefined });
    });
    const r = ping(s, 'fox', '192.168.202.12');
    expect(r.fault).toMatchObject({ kind: 'arp-off', namespace: 'bear', fix: ['ip -n bear link set veth-bear arp on', 'ip -n fox neigh flush 192.168.202.12 dev veth-fox'] });
    expect(r.fault!.evidence.map((e) => e.line)).toEqual([expect.stringContaining('NOARP'), '192.168.202.12 dev veth-fox INCOMPLETE']);
  });

  it("on the sender's side: it never asks", () => {
    const r = ping(broken((c) => noArp(link(ns(c, 'fox'), 'veth-fox'))), 'fox', '192.168.202.12');
    expect(r.fault).toMatchObject({ kind: 'arp-off', namespace: 'fox', fix: ['ip -n fox link set veth-fox arp on'] });
    expect(r.fault!.what).toContain('never asks for 192.168.202.12');
  });

  it('on the gateway (the bridge device)', () => {
    expect(ping(broken((c) => noArp(link(ns(c, 'host'), 'vnet-animals'))), 'fox', '198.51.100.10').fault).toMatchObject({ kind: 'arp-off', namespace: 'host', fix: ['ip link set vnet-animals arp on'] });
  });

  it('does not matter where both sides have a permanent entry for each other', () => {
    const s = broken((c) => {
      noArp(link(ns(c, 'bear'), 'veth-bear'));
      noArp(link(ns(c, 'fox'), 'veth-fox'));
      Object.assign(ns(c, 'fox').neighbours.find((n) => n.address === '192.168.202.12')!, { state: ['PERMANENT'], lladdr: link(ns(c, 'bear'), 'veth-bear').mac });
      Object.assign(ns(c, 'bear').neighbours.find((n) => n.address === '192.168.202.11')!, { state: ['PERMANENT'], lladdr: link(ns(c, 'fox'), 'veth-fox').mac });
    });
    expect(ping(s, 'fox', '192.168.202.12').passed).toBe(true);
  });
});

describe('an MTU smaller than the packet', () => {
  const mtu = (n: string, l: string, m: number) => (c: Snapshot) => (link(ns(c, n), l).mtu = m);

  it('in the sender: its ping is fragmented and goes out, but the reply is dropped coming in', () => {
    const r = ping(broken(mtu('fox', 'veth-fox', 68)), 'fox', '192.168.202.12');
    expect(r.path.filter((h) => h.direction === 'there').at(-1)).toMatchObject({ namespace: 'bear', action: 'delivered to 192.168.202.12 (local)' });
    expect(r.fault).toEqual({
      kind: 'mtu-too-small',
      namespace: 'fox',
      what: "veth-fox in fox has MTU 68, smaller than the 84-byte ping packet coming from host's veth-fox-br, so the kernel drops the frame.",
      evidence: [{ command: 'ip -n fox link show veth-fox', line: expect.stringMatching(/^veth-fox@if\d+ UP <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 68$/) }],
      fix: ['ip -n fox link set veth-fox mtu 1500'],
    });
  });

  it('a TCP SYN (60 bytes) still fits in 68', () => {
    expect(walkPath(broken(mtu('fox', 'veth-fox', 68)), 'bear', { address: '192.168.202.11', port: 80 }).passed).toBe(true);
  });

  it('on a bridge port: the bridge drops the frame', () => {
    const r = ping(broken(mtu('host', 'veth-bear-br', 68)), 'fox', '192.168.202.12');
    expect(r.fault).toMatchObject({ kind: 'mtu-too-small', namespace: 'host', fix: ['ip link set veth-bear-br mtu 1500'] });
    expect(r.fault!.what).toContain('vnet-animals drops the frame');
  });

  it("on a router's way out: a forwarded packet with DF is dropped, one made there is fragmented", () => {
    const s = broken(mtu('host', 'eth0', 68));
    const r = ping(s, 'fox', '198.51.100.10');
    expect(r.fault).toMatchObject({ kind: 'mtu-too-small', namespace: 'host', fix: ['ip link set eth0 mtu 1500'] });
    expect(r.fault!.what).toContain('must not be fragmented (DF)');
    // the host's own ping leaves in fragments; the 84-byte reply is what eth0 cannot take
    const own = ping(s, 'host', '198.51.100.10');
    expect(own.path.filter((h) => h.direction === 'there').at(-1)?.namespace).toBe('internet');
    expect(own.fault).toMatchObject({ kind: 'mtu-too-small', namespace: 'host' });
    expect(own.fault!.what).toContain("coming from internet's eth0");
  });
});
