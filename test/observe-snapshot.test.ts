// takeSnapshot for real: in a fresh sandbox with a small lab, and on this machine (read-only).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { createLocalRunner } from '../src/world/exec/runner.js';
import { takeSnapshot } from '../src/world/observe/take-snapshot.js';

const hostState = () => execFileSync('bash', ['-c', 'ip -br link; ip netns list; ip route'], { encoding: 'utf8' });

describe('takeSnapshot in a sandbox', () => {
  let sandbox: Sandbox;
  const before = hostState();
  beforeAll(async () => {
    sandbox = await createSandbox();
    const r = await sandbox.run(`set -e
      ip netns add fox
      ip link add vnet-animals type bridge
      ip link add veth-fox type veth peer name veth-fox-br
      ip link set veth-fox netns fox
      ip link set veth-fox-br master vnet-animals
      ip link set veth-fox-br up
      ip -n fox addr add 192.168.202.11/24 dev veth-fox
      iptables -t filter -P FORWARD DROP`);
    expect(r.stderr).toBe('');
  });
  afterAll(async () => {
    await sandbox?.dispose();
    expect(hostState()).toBe(before);
  });

  it('reads every namespace, the upstream side, peers, port state and files in one call', async () => {
    const snap = await takeSnapshot(sandbox, { files: ['/etc/sysctl.conf', '/etc/no-such-file'] });
    expect(snap.world).toBe('sandbox');
    expect(snap.namespaces.map((n) => n.name)).toEqual(['host', 'fox', 'internet']);
    const host = snap.namespaces[0]!;
    const port = host.links.find((l) => l.name === 'veth-fox-br')!;
    // the bridge is down, so its port is disabled; the fox end is down, so no carrier
    expect(port).toMatchObject({ master: 'vnet-animals', portState: 'disabled', adminUp: true, lowerUp: false, peer: { namespace: 'fox', name: 'veth-fox' } });
    expect(host.links.find((l) => l.name === 'vnet-animals')).toMatchObject({ type: 'bridge', adminUp: false });
    expect(host.iptables?.tables.filter?.chains.FORWARD).toEqual({ policy: 'DROP' });
    const fox = snap.namespaces[1]!;
    expect(fox.addresses).toContainEqual(expect.objectContaining({ dev: 'veth-fox', address: '192.168.202.11', prefixlen: 24 }));
    expect(fox.links.find((l) => l.name === 'veth-fox')).toMatchObject({ adminUp: false, operState: 'DOWN' });
    expect(snap.namespaces[2]!.listening).toContainEqual({ address: '0.0.0.0', port: 80 });
    expect(snap.files['/etc/sysctl.conf']).toEqual(expect.any(String));
    expect(snap.files['/etc/no-such-file']).toBeNull();
  });
});

describe('takeSnapshot on this machine', () => {
  it('reads the host read-only, as world "host"', async () => {
    const snap = await takeSnapshot(createLocalRunner());
    expect(snap.world).toBe(process.env.NETNS_TUTOR_SANDBOX ? 'sandbox' : 'host');
    expect(snap.namespaces[0]!.name).toBe('host');
    expect(snap.namespaces[0]!.links.some((l) => l.type === 'loopback')).toBe(true);
  });
});
