// A snapshot read in depth only where asked (takeSnapshot's deepIn, which evaluateStep uses):
// links, addresses, routes and peers stay whole everywhere; sysctls, rules and sockets are read
// only in the namespaces named and the host. Real namespaces, plus the pure planning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateChecksIn } from '../src/app/checks/evaluate-step.js';
import { namespacesReadInDepth } from '../src/domain/checks/plan-checks.js';
import type { Check } from '../src/domain/lesson/types.js';
import type { NamespaceState } from '../src/domain/snapshot/snapshot.js';
import { takeSnapshot } from '../src/world/observe/take-snapshot.js';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';

const base = { name: 'c', message: 'm', line: 1 };
// what a shallow read must keep as a deep one does; minus what the kernel changes by itself in a
// new sandbox while the two are read (a link's carrier coming up, IPv6 link-local addresses)
const ipState = (ns: NamespaceState) => ({
  name: ns.name,
  links: ns.links.map(({ flags: _f, operState: _o, lowerUp: _l, ...rest }) => rest),
  addresses: ns.addresses.filter((a) => a.family === 'inet'),
  routes: ns.routes,
  error: ns.error,
});

describe('namespacesReadInDepth', () => {
  it('names the namespaces of sysctl, rule, policy and listening checks, once each', () => {
    const checks: Check[] = [
      { ...base, kind: 'link', in: 'fox', link: 'veth-fox', exists: true },
      { ...base, kind: 'rule', in: 'bear', rule: { table: 'nat', chain: 'POSTROUTING' } },
      { ...base, kind: 'policy', in: 'bear', table: 'filter', chain: 'FORWARD', policy: 'DROP' },
      { ...base, kind: 'sysctl', in: 'node1', sysctl: 'net.ipv4.ip_forward', value: '1' },
      { ...base, kind: 'listening', in: 'internet', port: 80 },
      { ...base, kind: 'reach', in: 'host', reach: '10.0.0.1', from: 'pod1', fails: false },
    ];
    expect(namespacesReadInDepth(checks)).toEqual(['bear', 'node1', 'internet']);
    expect(namespacesReadInDepth(checks.slice(0, 1))).toEqual([]);
  });
});

describe('takeSnapshot with deepIn', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox();
    const r = await sandbox.run(`set -e
      ip netns add fox
      ip netns add bear
      ip link add veth-fox type veth peer name veth-bear
      ip link set veth-fox netns fox
      ip link set veth-bear netns bear
      ip -n fox addr add 192.168.202.11/24 dev veth-fox
      ip -n fox link set veth-fox up
      ip -n bear link set veth-bear up
      ip netns exec bear iptables -t nat -A POSTROUTING -s 192.168.202.0/24 -j MASQUERADE`);
    expect(r.stderr).toBe('');
  });
  afterAll(async () => {
    await sandbox?.dispose();
  });

  it('keeps every namespace and its ip state (peers too), and reads the rest only where asked', async () => {
    const full = await takeSnapshot(sandbox);
    const part = await takeSnapshot(sandbox, { deepIn: ['bear'] });
    expect(part.namespaces.map((n) => n.name).sort()).toEqual(['bear', 'fox', 'host', 'internet']);
    expect(part.namespaces.map(ipState)).toEqual(full.namespaces.map(ipState));
    const [host, fox, bear, internet] = ['host', 'fox', 'bear', 'internet'].map((name) => part.namespaces.find((n) => n.name === name));
    expect(fox!.links.find((l) => l.name === 'veth-fox')?.peer).toMatchObject({ namespace: 'bear', name: 'veth-bear' });
    expect(bear!.iptables?.tables.nat?.rules.length).toBe(1);
    for (const shallow of [host!, fox!, internet!]) {
      expect(shallow.iptables).toBeUndefined();
      expect(shallow.sysctls).toEqual({});
      expect(shallow.listening).toEqual([]);
    }
    expect(full.namespaces.find((n) => n.name === 'internet')!.listening).toContainEqual({ address: '0.0.0.0', port: 80 });
    // the host, like any namespace, in depth when named
    const withHost = (await takeSnapshot(sandbox, { deepIn: ['host'] })).namespaces.find((n) => n.name === 'host')!;
    expect(withHost.iptables).toBeDefined();
    expect(withHost.sysctls['net.ipv4.ip_forward']).toBe('0');
  });

  it('evaluates checks in shallow and deep namespaces alike', async () => {
    const checks: Check[] = [
      { ...base, kind: 'link', in: 'fox', link: 'veth-fox', exists: true, up: true, peer: 'veth-bear', peerIn: 'bear' },
      { ...base, kind: 'address', in: 'fox', address: '192.168.202.11/24', exists: true },
      { ...base, kind: 'rule', in: 'bear', rule: { table: 'nat', chain: 'POSTROUTING', target: 'MASQUERADE' } },
      { ...base, kind: 'listening', in: 'internet', port: 80 },
      { ...base, kind: 'sysctl', in: 'fox', sysctl: 'net.ipv4.ip_forward', value: '0' },
    ];
    const { results } = await evaluateChecksIn(sandbox, checks);
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });
});
