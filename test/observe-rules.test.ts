// Policy routing in the snapshot: `ip -j rule show` entries read into rules whose words are what
// `ip rule show` prints (recorded from iproute2 6.x), the batch's new arrays (and older batches
// without them), and a real snapshot in a sandbox with rules, a second table and the ping sysctl.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRule } from '../src/domain/snapshot/parse-rules.js';
import { parseIpBatch } from '../src/domain/snapshot/parse-ip.js';
import { createSandbox } from '../src/world/sandbox/sandbox.js';
import { takeSnapshot } from '../src/world/observe/take-snapshot.js';

// `ip -j rule show` and `ip rule show` for the same rules, as iproute2 printed them
const RECORDED: Array<[Record<string, unknown>, string]> = [
  [{ priority: 0, src: 'all', table: 'local' }, '0:\tfrom all lookup local'],
  [{ priority: 100, not: null, src: '10.0.0.0', srclen: 8, dst: '10.1.0.0', dstlen: 16, iif: 'eth0', table: '7' }, '100:\tnot from 10.0.0.0/8 to 10.1.0.0/16 iif eth0 lookup 7'],
  [{ priority: 101, src: 'all', oif: 'eth0', table: '8' }, '101:\tfrom all oif eth0 lookup 8'],
  [{ priority: 102, src: 'all', fwmark: '0x10', fwmask: '0xff', table: '9' }, '102:\tfrom all fwmark 0x10/0xff lookup 9'],
  [{ priority: 103, src: 'all', ipproto: 'tcp', sport_start: 1000, sport_end: 2000, dport: 80, table: '10' }, '103:\tfrom all ipproto tcp sport 1000-2000 dport 80 lookup 10'],
  [{ priority: 104, src: 'all', uid_start: 0, uid_end: 0, table: '11' }, '104:\tfrom all uidrange 0-0 lookup 11'],
  [{ priority: 105, src: 'all', goto: 106 }, '105:\tfrom all goto 106'],
  [{ priority: 106, src: 'all', nop: null }, '106:\tfrom all nop'],
  [{ priority: 107, src: 'all', table: 'main', suppress_prefixlen: 0 }, '107:\tfrom all lookup main suppress_prefixlength 0'],
  [{ priority: 108, src: 'all', tos: '0x10', action: 'blackhole' }, '108:\tfrom all tos 0x10 blackhole'],
  [{ priority: 109, src: 'all', dst: '1.2.3.4', action: 'unreachable' }, '109:\tfrom all to 1.2.3.4 unreachable'],
  [{ priority: 32765, src: '192.168.202.11', action: 'prohibit' }, '32765:\tfrom 192.168.202.11 prohibit'],
  [{ priority: 32766, src: 'all', table: 'main', protocol: 'kernel' }, '32766:\tfrom all lookup main'],
];

describe('parseRule', () => {
  it.each(RECORDED)('reads %j as ip prints it', (json, line) => {
    const r = parseRule(json);
    expect(`${r.priority}:\t${r.spec}`).toBe(line);
  });

  it('keeps the selectors and the action apart', () => {
    const [not, , mark, ports, uid, gotoRule, nop, suppress, tos, , prohibit] = RECORDED.slice(1).map(([j]) => parseRule(j));
    expect(not).toMatchObject({ not: true, from: '10.0.0.0/8', to: '10.1.0.0/16', iif: 'eth0', action: 'lookup', table: '7' });
    expect(mark).toMatchObject({ fwmark: '0x10/0xff', table: '9' });
    expect(ports).toMatchObject({ ipproto: 'tcp', sport: '1000-2000', dport: '80' });
    expect(uid!.other).toEqual(['uidrange 0-0']);
    expect(gotoRule).toMatchObject({ action: 'goto', goto: 106 });
    expect(nop!.action).toBe('nop');
    expect(suppress).toMatchObject({ table: 'main', suppressPrefixlength: 0 });
    expect(tos).toMatchObject({ action: 'blackhole', other: ['tos 0x10'] });
    expect(prohibit).toMatchObject({ from: '192.168.202.11', action: 'prohibit' });
    expect(prohibit!.table).toBeUndefined();
  });
});

describe('parseIpBatch with policy routing', () => {
  const link = JSON.stringify([{ ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], mtu: 65536, operstate: 'UNKNOWN', link_type: 'loopback' }]);
  const addr = JSON.stringify([{ ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }] }]);
  const main = JSON.stringify([{ type: 'unicast', dst: 'default', gateway: '192.168.202.1', dev: 'veth-fox', flags: [] }]);
  const rules = JSON.stringify([
    { priority: 32766, src: 'all', table: 'main' },
    { priority: 0, src: 'all', table: 'local' },
    { priority: 32765, src: 'all', dst: '198.51.100.0', dstlen: 24, table: '100' },
  ]);
  const all = JSON.stringify([
    { type: 'blackhole', dst: 'default', table: '100', flags: [] },
    { type: 'unicast', dst: 'default', gateway: '192.168.202.1', dev: 'veth-fox', table: 'main', flags: [] },
    { type: 'local', dst: '127.0.0.1', dev: 'lo', table: 'local', flags: [] },
    { type: 'unicast', dst: 'fe80::/64', dev: 'veth-fox', table: 'main', flags: [] },
    { type: 'multicast', dst: 'ff00::/8', dev: 'veth-fox', table: 'local', flags: [] },
  ]);

  it('reads the rules in priority order and the routes of the other tables, each with its table', () => {
    const ip = parseIpBatch([link, addr, main, '[]', '[]', rules, all].join('\n'));
    expect(ip.routes).toEqual([{ dst: 'default', type: 'unicast', gateway: '192.168.202.1', dev: 'veth-fox' }]);
    expect(ip.rules!.map((r) => r.priority)).toEqual([0, 32765, 32766]);
    expect(ip.tableRoutes).toEqual([{ dst: 'default', type: 'blackhole', table: '100' }]);
  });

  it('leaves them unknown in a batch from before they were read', () => {
    const ip = parseIpBatch([link, addr, main, '[]', '[]'].join('\n'));
    expect(ip.routes).toHaveLength(1);
    expect(ip.rules).toBeUndefined();
    expect(ip.tableRoutes).toBeUndefined();
  });

  it('tells the main table from all tables by shape when a command failed', () => {
    // netns list-id printed nothing
    const ip = parseIpBatch([link, addr, main, '[]', rules, all].join('\n'));
    expect(ip.routes).toHaveLength(1);
    expect(ip.rules).toHaveLength(3);
    expect(ip.tableRoutes).toEqual([{ dst: 'default', type: 'blackhole', table: '100' }]);
  });
});

describe('takeSnapshot reads policy routing and the ping sysctl', () => {
  const hostState = () => execFileSync('bash', ['-c', 'ip -br link; ip netns list; ip route; ip rule'], { encoding: 'utf8' });
  const before = hostState();
  afterAll(() => expect(hostState()).toBe(before));

  it('in the host and in a named namespace', async () => {
    const sandbox = await createSandbox();
    try {
      const r = await sandbox.run(`set -e
        ip rule add from 192.168.202.11 prohibit
        ip netns add fox
        ip -n fox link set lo up
        ip -n fox rule add to 198.51.100.0/24 table 100
        ip -n fox route add blackhole default table 100
        ip netns exec fox sysctl -qw net.ipv4.icmp_echo_ignore_all=1`);
      expect(r.stderr).toBe('');
      const snap = await takeSnapshot(sandbox);
      const host = snap.namespaces.find((n) => n.name === 'host')!;
      const fox = snap.namespaces.find((n) => n.name === 'fox')!;
      expect(host.rules!.map((x) => `${x.priority}: ${x.spec}`)).toEqual(['0: from all lookup local', '32765: from 192.168.202.11 prohibit', '32766: from all lookup main', '32767: from all lookup default']);
      expect(fox.rules).toContainEqual(expect.objectContaining({ priority: 32765, to: '198.51.100.0/24', table: '100' }));
      expect(fox.tableRoutes).toEqual([expect.objectContaining({ dst: 'default', type: 'blackhole', table: '100' })]);
      expect(host.tableRoutes).toEqual([]);
      expect(fox.sysctls['net.ipv4.icmp_echo_ignore_all']).toBe('1');
      expect(host.sysctls['net.ipv4.icmp_echo_ignore_all']).toBe('0');
    } finally {
      await sandbox.dispose();
    }
  });
});
