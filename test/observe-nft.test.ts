// parseNftRuleset against a recorded `nft -j list ruleset` (test/fixtures/nft/ruleset.json: the
// rules of ruleset.nft loaded in a sandbox beside a few iptables-nft rules, nftables 1.0.6), and
// the snapshot script's nft part in a real sandbox.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNftRuleset } from '../src/domain/snapshot/parse-nft.js';
import { takeSnapshot } from '../src/world/observe/take-snapshot.js';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';

const recorded = parseNftRuleset(readFileSync(new URL('./fixtures/nft/ruleset.json', import.meta.url), 'utf8'))!;
const rule = (chain: string, handle: number) => recorded.rules.find((r) => r.chain === chain && r.handle === handle)!;

describe('parseNftRuleset on a recorded ruleset', () => {
  it('reads base chains with hook, type, priority and policy, and regular chains without', () => {
    expect(recorded.chains).toContainEqual({ family: 'inet', table: 'filter', name: 'forward', type: 'filter', hook: 'forward', priority: 0, policy: 'drop' });
    expect(recorded.chains).toContainEqual({ family: 'inet', table: 'filter', name: 'mine' });
    expect(recorded.chains).toContainEqual(expect.objectContaining({ family: 'ip', table: 'nat2', name: 'pre', type: 'nat', hook: 'prerouting', priority: -100 }));
    expect(recorded.chains).toContainEqual(expect.objectContaining({ family: 'bridge', table: 'bf', name: 'fw', hook: 'forward', policy: 'drop' }));
    // iptables-nft's own chains are there too (the walk skips them: iptables-save showed them)
    expect(recorded.chains).toContainEqual(expect.objectContaining({ family: 'ip', table: 'filter', name: 'FORWARD', hook: 'forward', policy: 'drop' }));
  });

  it('reads tests as key, operator and alternatives, and says them the way nft does', () => {
    const forward = recorded.rules.filter((r) => r.family === 'inet' && r.chain === 'forward');
    const byText = (t: string) => forward.find((r) => r.text === t);
    expect(byText('ct state established,related accept')?.matches).toEqual([{ key: 'ct state', op: '==', values: ['established', 'related'] }]);
    expect(byText('iifname "vnet-animals" oifname "eth0" accept')?.action).toBe('accept');
    expect(byText('ip saddr 192.168.202.0/24 ip daddr != 10.0.0.0/8 tcp dport { 80, 443 } accept')?.matches).toEqual([
      { key: 'ip saddr', op: '==', values: ['192.168.202.0/24'] },
      { key: 'ip daddr', op: '!=', values: ['10.0.0.0/8'] },
      { key: 'tcp dport', op: '==', values: ['80', '443'] },
    ]);
    expect(byText('tcp dport 1000-2000 drop')?.matches[0]!.values).toEqual(['1000-2000']);
    expect(byText('ip daddr 10.1.0.0-10.1.0.255 goto mine')).toMatchObject({ action: 'goto', target: 'mine' });
    expect(byText('ip protocol tcp reject')?.action).toBe('reject');
  });

  it('resolves a named set to its elements but shows it by name', () => {
    const r = recorded.rules.find((x) => x.text === 'ip saddr @allowed accept')!;
    expect(r.matches).toEqual([{ key: 'ip saddr', op: '==', values: ['10.0.0.1', '10.0.0.2'] }]);
  });

  it('keeps what it cannot read as a test without values', () => {
    expect(recorded.rules.find((x) => x.text === 'meta mark 1 accept')!.matches).toEqual([{ key: 'meta mark', op: '==', values: ['1'] }]);
    expect(recorded.rules.find((x) => x.text.startsWith('ether saddr'))!.matches[0]!.key).toBe('ether saddr');
  });

  it('reads NAT statements with where they lead', () => {
    const nat = recorded.rules.filter((r) => r.table === 'nat2' || r.table === 'nat3');
    expect(nat.map((r) => [r.action, r.to])).toEqual([
      ['masquerade', undefined],
      ['snat', { address: '203.0.113.2' }],
      ['dnat', { address: '192.168.202.11', port: 80 }],
      ['dnat', { address: '192.168.202.11' }],
      ['redirect', { port: 8080 }],
      ['dnat', { address: '192.168.202.11', port: 80 }],
    ]);
    expect(nat[2]!.text).toBe('iifname "eth0" tcp dport 80 dnat to 192.168.202.11:80');
  });

  it('says undefined for what is not nft JSON, and reads an empty ruleset', () => {
    expect(parseNftRuleset('')).toBeUndefined();
    expect(parseNftRuleset('Error: ...')).toBeUndefined();
    expect(parseNftRuleset('{"nftables": [{"metainfo": {"version": "1.0.6"}}]}')).toEqual({ chains: [], rules: [] });
  });
});

describe('takeSnapshot reads nftables', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox();
    const r = await sandbox.run(`set -e
      ip netns add fox
      ip netns exec fox nft add table inet filter
      ip netns exec fox nft add chain inet filter input '{ type filter hook input priority 0; policy drop; }'
      ip netns exec fox nft add rule inet filter input tcp dport 22 accept
      iptables -P FORWARD DROP`);
    expect(r.stderr).toBe('');
  });
  afterAll(async () => {
    await sandbox?.dispose();
  });

  it('when asked: per namespace, native chains and iptables-nft ones alike; only in depth where asked', async () => {
    expect((await takeSnapshot(sandbox)).namespaces.every((n) => n.nftables === undefined)).toBe(true);
    const snap = await takeSnapshot(sandbox, { nft: true });
    const fox = snap.namespaces.find((n) => n.name === 'fox')!;
    expect(fox.nftables?.chains).toEqual([{ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 0, policy: 'drop' }]);
    expect(fox.nftables?.rules.map((r) => r.text)).toEqual(['tcp dport 22 accept']);
    const host = snap.namespaces[0]!;
    expect(host.nftables?.chains).toContainEqual(expect.objectContaining({ family: 'ip', table: 'filter', name: 'FORWARD', policy: 'drop' }));
    const shallow = await takeSnapshot(sandbox, { nft: true, deepIn: [] });
    expect(shallow.namespaces.find((n) => n.name === 'fox')!.nftables).toBeUndefined();
  });
});
