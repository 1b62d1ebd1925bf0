// Hand-made snapshots for the pure check tests: the course's bridge lab (fox and bear on
// vnet-animals behind a host with an uplink), written the way src/world/observe records it.
import type { IptablesState, Link, NamespaceState, Snapshot } from '../src/domain/snapshot/snapshot.js';
import { parseRule } from '../src/domain/snapshot/parse-rule.js';

export function link(name: string, type: string, extra: Partial<Link> = {}): Link {
  return {
    name,
    ifindex: extra.ifindex ?? 1,
    type,
    adminUp: true,
    operState: type === 'loopback' ? 'UNKNOWN' : 'UP',
    lowerUp: true,
    flags: ['UP', 'LOWER_UP'],
    mtu: 1500,
    ...extra,
  };
}

/** iptables-save text to the parsed form (words split on spaces: no quoting in these fixtures). */
export function iptables(save: string): IptablesState {
  const state: IptablesState = { backend: 'nf_tables', tables: {} };
  let table = '';
  for (const line of save.split('\n').map((l) => l.trim())) {
    if (line.startsWith('*')) {
      table = line.slice(1);
      state.tables[table] = { chains: {}, rules: [] };
    } else if (line.startsWith(':')) {
      const [chain, policy] = line.slice(1).split(' ');
      state.tables[table]!.chains[chain!] = { policy: policy! };
    } else if (line.startsWith('-A ')) {
      const words = line.split(/\s+/);
      state.tables[table]!.rules.push({ table, chain: words[1]!, args: words.slice(2), text: line, ...parseRule(words.slice(2), new Set(Object.keys(state.tables[table]!.chains))) });
    }
  }
  return state;
}

function ns(name: string, kind: NamespaceState['kind'], rest: Partial<NamespaceState>): NamespaceState {
  return { name, kind, links: [], addresses: [], routes: [], neighbours: [], sysctls: {}, listening: [], ...rest };
}

export const NAT_RULES = `
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80
-A OUTPUT -d 203.0.113.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80
-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -i vnet-animals -j ACCEPT
COMMIT
`;

/** The working bridge lab: everything up, addressed, routed, forwarded and translated. */
export function bridgeLab(overrides: { host?: Partial<NamespaceState>; fox?: Partial<NamespaceState>; bear?: Partial<NamespaceState> } = {}): Snapshot {
  return {
    world: 'sandbox',
    files: {},
    namespaces: [
      ns('host', 'host', {
        links: [
          link('lo', 'loopback'),
          link('eth0', 'veth', { ifindex: 2, peer: { namespace: 'internet', name: 'eth0', ifindex: 2 } }),
          link('vnet-animals', 'bridge', { ifindex: 3 }),
          link('veth-fox-br', 'veth', { ifindex: 4, master: 'vnet-animals', peer: { namespace: 'fox', name: 'veth-fox', ifindex: 2 } }),
          link('veth-bear-br', 'veth', { ifindex: 5, master: 'vnet-animals', peer: { namespace: 'bear', name: 'veth-bear', ifindex: 2 } }),
        ],
        addresses: [
          { dev: 'lo', family: 'inet', address: '127.0.0.1', prefixlen: 8, scope: 'host' },
          { dev: 'eth0', family: 'inet', address: '203.0.113.2', prefixlen: 24, scope: 'global' },
          { dev: 'vnet-animals', family: 'inet', address: '192.168.202.1', prefixlen: 24, scope: 'global' },
        ],
        routes: [
          { dst: 'default', gateway: '203.0.113.1', dev: 'eth0', type: 'unicast' },
          { dst: '192.168.202.0/24', dev: 'vnet-animals', type: 'unicast', scope: 'link' },
          { dst: '203.0.113.0/24', dev: 'eth0', type: 'unicast', scope: 'link' },
        ],
        sysctls: { 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.rp_filter': '0' },
        iptables: iptables(NAT_RULES),
        ...overrides.host,
      }),
      ns('fox', 'named', {
        links: [link('lo', 'loopback'), link('veth-fox', 'veth', { ifindex: 2, peer: { namespace: 'host', name: 'veth-fox-br', ifindex: 4 } })],
        addresses: [{ dev: 'veth-fox', family: 'inet', address: '192.168.202.11', prefixlen: 24, scope: 'global' }],
        routes: [
          { dst: 'default', gateway: '192.168.202.1', dev: 'veth-fox', type: 'unicast' },
          { dst: '192.168.202.0/24', dev: 'veth-fox', type: 'unicast', scope: 'link' },
        ],
        sysctls: { 'net.ipv4.ip_forward': '0' },
        listening: [{ address: '0.0.0.0', port: 80 }],
        ...overrides.fox,
      }),
      ns('bear', 'named', {
        links: [link('lo', 'loopback'), link('veth-bear', 'veth', { ifindex: 2, peer: { namespace: 'host', name: 'veth-bear-br', ifindex: 5 } })],
        addresses: [{ dev: 'veth-bear', family: 'inet', address: '192.168.202.12', prefixlen: 24, scope: 'global' }],
        routes: [
          { dst: 'default', gateway: '192.168.202.1', dev: 'veth-bear', type: 'unicast' },
          { dst: '192.168.202.0/24', dev: 'veth-bear', type: 'unicast', scope: 'link' },
        ],
        ...overrides.bear,
      }),
      ns('internet', 'upstream', {
        links: [link('lo', 'loopback'), link('eth0', 'veth', { ifindex: 2 })],
        addresses: [{ dev: 'eth0', family: 'inet', address: '203.0.113.1', prefixlen: 24, scope: 'global' }],
      }),
    ],
  };
}
