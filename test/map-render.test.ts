// The map of the recorded course networks at the widths people use: every namespace boxed,
// every wire's ends named, nothing wider than the width; and one drawing kept whole.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/domain/snapshot/snapshot.js';
import { buildTopology } from '../src/domain/map/build-topology.js';
import { renderMap } from '../src/domain/map/render-map.js';
import { wrapWords } from '../src/domain/map/box-content.js';

const load = (name: string): Snapshot => JSON.parse(readFileSync(new URL(`./fixtures/snapshots/${name}.json`, import.meta.url), 'utf8'));
const labs = { 'bridge-lab': load('bridge-lab'), 'kubernetes-lab': load('kubernetes-lab') };
const columns = (line: string) => [...line].length;

describe.each(Object.entries(labs))('map of the %s', (_name, snapshot) => {
  const topology = buildTopology(snapshot);

  it.each([60, 100, 160])('fits %i columns with every box and wire end named', (width) => {
    const map = renderMap(snapshot, width);
    const lines = map.trimEnd().split('\n');
    for (const line of lines) expect(columns(line), line).toBeLessThanOrEqual(width);
    for (const box of topology.boxes) expect(map).toMatch(new RegExp(`┌─ ${box.namespace}[ ─]`));
    for (const wire of topology.wires) {
      expect(map).toContain(`⇄ ${wire.b.namespace}:${wire.b.name}`);
      expect(map).toContain(`⇄ ${wire.a.namespace}:${wire.a.name}`);
    }
    expect(map.split('┌─ ').length - 1).toBe(topology.boxes.length);
  });

  it('draws each wire between boxes (a connector under one box, on top of the other)', () => {
    const map = renderMap(snapshot, 160);
    const drawnTops = (map.match(/┴/g) ?? []).length;
    expect(drawnTops).toBeGreaterThanOrEqual(topology.wires.filter((w) => w.b.namespace !== w.a.namespace).length);
  });
});

describe('the topology graph', () => {
  it('has boxes, bridges with ports, wires and routes as data', () => {
    const t = buildTopology(labs['bridge-lab']);
    const host = t.boxes.find((b) => b.namespace === 'host')!;
    expect(host.bridges[0]).toMatchObject({ name: 'vnet-animals', state: 'up', addresses: ['192.168.202.1/24'] });
    expect(host.bridges[0]!.ports.map((p) => [p.name, p.portState, p.peer])).toEqual([
      ['veth-fox-br', 'forwarding', { namespace: 'fox', name: 'veth-fox' }],
      ['veth-bear-br', 'forwarding', { namespace: 'bear', name: 'veth-bear' }],
    ]);
    expect(host.routes).toEqual([{ dst: 'default', via: '203.0.113.1', dev: 'eth0', type: 'unicast', text: 'default via 203.0.113.1 dev eth0' }]);
    expect(host.forwarding).toBe(true);
    expect(host.nat).toContain('MASQUERADE POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals');
    expect(t.wires.map((w) => w.id).sort()).toEqual(['bear/veth-bear~host/veth-bear-br', 'fox/veth-fox~host/veth-fox-br', 'host/eth0~internet/eth0']);
    expect(t.wires.every((w) => w.state === 'up')).toBe(true);
  });

  it('marks a down end in words and draws its wire dashed', () => {
    const snap: Snapshot = structuredClone(labs['bridge-lab']);
    const fox = snap.namespaces.find((n) => n.name === 'fox')!;
    const veth = fox.links.find((l) => l.name === 'veth-fox')!;
    Object.assign(veth, { adminUp: false, lowerUp: false, operState: 'DOWN' });
    const map = renderMap(snap, 100);
    expect(map).toContain('veth-fox DOWN 192.168.202.11/24');
    expect(map).toContain('╎');
    expect(buildTopology(snap).wires.find((w) => w.id.includes('veth-fox'))!.state).toBe('down');
  });

  it('wraps long lines under their first word', () => {
    expect(wrapWords({ indent: 'nat ', words: ['MASQUERADE', 'POSTROUTING', '-s', '10.0.0.0/16'] }, 20)).toEqual(['nat MASQUERADE', '      POSTROUTING -s', '      10.0.0.0/16']);
  });
});

describe('the drawing', () => {
  it('of the bridge lab at 100 columns', () => {
    expect(`\n${renderMap(labs['bridge-lab'], 100)}`).toMatchInlineSnapshot(`
      "
      ┌─ internet (upstream) ────────────────┐
      │ lo up 198.51.100.10/32 192.0.2.10/32 │
      │ eth0 up 203.0.113.1/24 ⇄ host:eth0   │
      └──────────────────────┬───────────────┘
                             │
      ┌─ host (the sandbox) ─┴───────────────────────────────────────────────────┐
      │ lo up                                                                    │
      │ eth0 up 203.0.113.2/24 ⇄ internet:eth0                                   │
      │ vnet-animals bridge up 192.168.202.1/24                                  │
      │  ├ veth-fox-br up ⇄ fox:veth-fox                                         │
      │  └ veth-bear-br up ⇄ bear:veth-bear                                      │
      │ → default via 203.0.113.1 dev eth0                                       │
      │ ip_forward on                                                            │
      │ nat DNAT PREROUTING -i eth0 -p tcp --dport 80 -> 192.168.202.11:80       │
      │ nat DNAT OUTPUT -d 203.0.113.2/32 -p tcp --dport 80 -> 192.168.202.11:80 │
      │ nat MASQUERADE POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals         │
      └───────┬──────────────────────────────────────────────┬───────────────────┘
              │                                              │
      ┌─ fox ─┴──────────────────────────────────┐  ┌─ bear ─┴──────────────────────────────────┐
      │ lo up                                    │  │ lo up                                     │
      │ veth-fox up 192.168.202.11/24            │  │ veth-bear up 192.168.202.12/24            │
      │   ⇄ host:veth-fox-br                     │  │   ⇄ host:veth-bear-br                     │
      │ → default via 192.168.202.1 dev veth-fox │  │ → default via 192.168.202.1 dev veth-bear │
      └──────────────────────────────────────────┘  └───────────────────────────────────────────┘
      "
    `);
  });
});
