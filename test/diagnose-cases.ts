// The faults the diagnoser is judged on (issue 5): each breaks the working course network in one
// way, says which path to diagnose, and what the diagnosis must name and fix. Shared by the
// real-sandbox test and the benchmark.
import { BRIDGE_LAB, KUBERNETES_LAB } from './diagnose-labs.js';

export interface FaultCase {
  name: string;
  lab: string;
  /** Commands that break it (run after the lab is built). */
  inject: string;
  from: string;
  to: string;
  /** The fault the diagnosis must name. */
  kind: string;
  namespace: string;
  /** Text the fix must contain (each). */
  fix: string[];
}

export const FAULT_CASES: FaultCase[] = [
  { name: 'host end of a veth down', lab: BRIDGE_LAB, inject: 'ip link set veth-fox-br down', from: 'fox', to: '198.51.100.10', kind: 'link-down', namespace: 'host', fix: ['ip link set veth-fox-br up'] },
  { name: 'netns end of a veth down', lab: BRIDGE_LAB, inject: 'ip -n fox link set veth-fox down', from: 'fox', to: '198.51.100.10', kind: 'link-down', namespace: 'fox', fix: ['ip -n fox link set veth-fox up'] },
  { name: 'lo down in a netns', lab: BRIDGE_LAB, inject: 'ip -n fox link set lo down', from: 'fox', to: '192.168.202.11', kind: 'lo-down', namespace: 'fox', fix: ['ip -n fox link set lo up'] },
  {
    name: 'address without prefix (/32)',
    lab: BRIDGE_LAB,
    inject: 'ip -n bear addr flush dev veth-bear && ip -n bear addr add 192.168.202.12 dev veth-bear',
    from: 'bear',
    to: '192.168.202.11',
    kind: 'address-prefix',
    namespace: 'bear',
    fix: ['ip -n bear addr add 192.168.202.12/24 dev veth-bear'],
  },
  {
    name: 'a /32 address seen from its neighbour',
    lab: BRIDGE_LAB,
    inject: 'ip -n bear addr flush dev veth-bear && ip -n bear addr add 192.168.202.12 dev veth-bear',
    from: 'fox',
    to: '192.168.202.12',
    kind: 'address-prefix',
    namespace: 'bear',
    fix: ['192.168.202.12/24 dev veth-bear'],
  },
  { name: 'no default route', lab: BRIDGE_LAB, inject: 'ip -n fox route del default', from: 'fox', to: '198.51.100.10', kind: 'no-default-route', namespace: 'fox', fix: ['ip -n fox route add default via 192.168.202.1'] },
  { name: 'gateway address missing', lab: BRIDGE_LAB, inject: 'ip addr del 192.168.202.1/24 dev vnet-animals', from: 'fox', to: '198.51.100.10', kind: 'gateway-missing', namespace: 'fox', fix: ['ip addr add 192.168.202.1/24 dev vnet-animals'] },
  {
    name: 'gateway address on the wrong device',
    lab: BRIDGE_LAB,
    inject: 'ip addr del 192.168.202.1/24 dev vnet-animals && ip addr add 192.168.202.1/24 dev eth0',
    from: 'fox',
    to: '198.51.100.10',
    kind: 'gateway-missing',
    namespace: 'fox',
    fix: ['ip addr del 192.168.202.1/24 dev eth0', 'ip addr add 192.168.202.1/24 dev vnet-animals'],
  },
  {
    name: 'gateway address on a bridge port',
    lab: BRIDGE_LAB,
    inject: 'ip addr del 192.168.202.1/24 dev vnet-animals && ip addr add 192.168.202.1/24 dev veth-bear-br',
    from: 'fox',
    to: '198.51.100.10',
    kind: 'address-on-bridge-port',
    namespace: 'host',
    fix: ['ip addr del 192.168.202.1/24 dev veth-bear-br', 'ip addr add 192.168.202.1/24 dev vnet-animals'],
  },
  { name: 'bridge down', lab: BRIDGE_LAB, inject: 'ip link set vnet-animals down', from: 'fox', to: '192.168.202.12', kind: 'bridge-down', namespace: 'host', fix: ['ip link set vnet-animals up'] },
  { name: 'port detached from the bridge', lab: BRIDGE_LAB, inject: 'ip link set veth-fox-br nomaster', from: 'fox', to: '198.51.100.10', kind: 'port-detached', namespace: 'host', fix: ['ip link set veth-fox-br master vnet-animals'] },
  { name: 'ip_forward off', lab: BRIDGE_LAB, inject: 'sysctl -qw net.ipv4.ip_forward=0', from: 'fox', to: '198.51.100.10', kind: 'ip-forward-off', namespace: 'host', fix: ['sysctl -w net.ipv4.ip_forward=1'] },
  {
    name: 'masquerade missing',
    lab: BRIDGE_LAB,
    inject: 'iptables -t nat -D POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE',
    from: 'fox',
    to: '198.51.100.10',
    kind: 'masquerade-missing',
    namespace: 'host',
    fix: ['iptables -t nat -A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE'],
  },
  {
    name: 'DNAT missing',
    lab: BRIDGE_LAB,
    inject: 'iptables -t nat -F PREROUTING && iptables -t nat -F OUTPUT',
    from: 'internet',
    to: '203.0.113.2:80',
    kind: 'dnat-missing',
    namespace: 'host',
    fix: ['iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'],
  },
  {
    name: 'DNAT in the wrong chain (PREROUTING only, tried from the host itself)',
    lab: BRIDGE_LAB,
    inject: 'iptables -t nat -D OUTPUT -d 203.0.113.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80',
    from: 'host',
    to: '203.0.113.2:80',
    kind: 'dnat-wrong-chain',
    namespace: 'host',
    fix: ['iptables -t nat -A OUTPUT -d 203.0.113.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'],
  },
  {
    name: 'DNAT scoped to the wrong interface',
    lab: BRIDGE_LAB,
    inject: 'iptables -t nat -R PREROUTING 1 -i vnet-animals -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80',
    from: 'internet',
    to: '203.0.113.2:80',
    kind: 'dnat-wrong-interface',
    namespace: 'host',
    fix: ['iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'],
  },
  {
    name: 'FORWARD policy DROP',
    lab: BRIDGE_LAB,
    inject: 'iptables -P FORWARD DROP',
    from: 'fox',
    to: '198.51.100.10',
    kind: 'forward-policy',
    namespace: 'host',
    fix: ['iptables -A FORWARD -i vnet-animals -o eth0 -j ACCEPT', 'iptables -A FORWARD -i eth0 -o vnet-animals -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
  },
  { name: 'a FORWARD rule that drops', lab: BRIDGE_LAB, inject: 'iptables -A FORWARD -s 192.168.202.11 -j DROP', from: 'fox', to: '198.51.100.10', kind: 'forward-drop', namespace: 'host', fix: ['iptables -D FORWARD -s 192.168.202.11/32 -j DROP'] },
  {
    name: 'strict rp_filter with the way back on another link',
    lab: BRIDGE_LAB,
    inject: 'ip route add 192.168.202.11/32 dev eth0 && sysctl -qw net.ipv4.conf.all.rp_filter=1',
    from: 'fox',
    to: '198.51.100.10',
    kind: 'rp-filter',
    namespace: 'host',
    fix: ['rp_filter=2'],
  },
  { name: 'INPUT rejects the port', lab: BRIDGE_LAB, inject: 'ip netns exec fox iptables -A INPUT -p tcp --dport 80 -j REJECT', from: 'bear', to: '192.168.202.11:80', kind: 'input-drop', namespace: 'fox', fix: ['ip netns exec fox iptables -D INPUT -p tcp -m tcp --dport 80 -j REJECT'] },
  {
    name: 'DNAT only in OUTPUT, tried from outside',
    lab: BRIDGE_LAB,
    inject: 'iptables -t nat -F PREROUTING',
    from: 'internet',
    to: '203.0.113.2:80',
    kind: 'dnat-wrong-chain',
    namespace: 'host',
    fix: ['iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'],
  },
  { name: 'nothing listening', lab: BRIDGE_LAB, inject: 'ip netns pids fox | xargs -r kill -9', from: 'bear', to: '192.168.202.11:80', kind: 'not-listening', namespace: 'fox', fix: ['fox'] },
  {
    name: 'DNAT to an address nobody has',
    lab: BRIDGE_LAB,
    inject: 'iptables -t nat -R PREROUTING 1 -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.13:80',
    from: 'internet',
    to: '203.0.113.2:80',
    kind: 'dnat-target-missing',
    namespace: 'host',
    fix: ['iptables -t nat -A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'],
  },
  {
    name: 'DNAT to the wrong port',
    lab: BRIDGE_LAB,
    inject: 'iptables -t nat -R PREROUTING 1 -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:8080',
    from: 'internet',
    to: '203.0.113.2:80',
    kind: 'dnat-wrong-port',
    namespace: 'host',
    fix: ['--to-destination 192.168.202.11:80'],
  },
  {
    name: 'server listening on 127.0.0.1 only',
    lab: BRIDGE_LAB,
    inject: `ip netns pids fox | xargs -r kill -9
ip netns exec fox perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 80, Listen => 5, ReuseAddr => 1) or die; close STDOUT; 1 while $s->accept' &
for _ in $(seq 100); do ip netns exec fox ss -Hltn | grep -q 127.0.0.1:80 && break; sleep 0.01; done`,
    from: 'bear',
    to: '192.168.202.11:80',
    kind: 'listening-elsewhere',
    namespace: 'fox',
    fix: ['0.0.0.0:80'],
  },
  { name: 'no address in the source', lab: BRIDGE_LAB, inject: 'ip -n fox addr flush dev veth-fox', from: 'fox', to: '192.168.202.12', kind: 'no-address', namespace: 'fox', fix: ['ip -n fox addr add'] },
  {
    name: 'an address in the wrong subnet on the bridge',
    lab: BRIDGE_LAB,
    inject: 'ip -n bear addr flush dev veth-bear && ip -n bear addr add 192.168.203.12/24 dev veth-bear',
    from: 'fox',
    to: '192.168.203.12',
    kind: 'subnet-mismatch',
    namespace: 'bear',
    fix: ['192.168.202.0/24'],
  },
  { name: 'blackhole route', lab: BRIDGE_LAB, inject: 'ip -n fox route add blackhole 198.51.100.0/24', from: 'fox', to: '198.51.100.10', kind: 'reject-route', namespace: 'fox', fix: ['ip -n fox route del blackhole 198.51.100.0/24'] },
  { name: 'Kubernetes: a node does not forward', lab: KUBERNETES_LAB, inject: 'ip netns exec node2 sysctl -qw net.ipv4.ip_forward=0', from: 'pod-a', to: '10.244.2.2', kind: 'ip-forward-off', namespace: 'node2', fix: ['ip netns exec node2 sysctl -w net.ipv4.ip_forward=1'] },
  { name: 'Kubernetes: a pod without a default route', lab: KUBERNETES_LAB, inject: 'ip -n pod-b route del default', from: 'pod-a', to: '10.244.2.2', kind: 'no-route-back', namespace: 'pod-b', fix: ['ip -n pod-b route add default via 10.244.2.1'] },
  {
    name: 'Kubernetes: no route to the other podCIDR',
    lab: KUBERNETES_LAB,
    inject: 'ip -n node1 route del 10.244.2.0/24 && ip route del 10.244.2.0/24',
    from: 'pod-a',
    to: '10.244.2.2',
    kind: 'no-route',
    namespace: 'host',
    fix: ['ip route add 10.244.2.0/24 via 10.0.0.12'],
  },
];

/** The working network, and what must be reported reachable there. */
export const WORKING_CASES = [
  { lab: BRIDGE_LAB, from: 'fox', to: '198.51.100.10', hops: ['fox', 'host', 'internet'], nat: 'MASQUERADE 192.168.202.11 -> 203.0.113.2' },
  { lab: BRIDGE_LAB, from: 'internet', to: '203.0.113.2:80', hops: ['internet', 'host', 'fox'], nat: 'DNAT 203.0.113.2:80 -> 192.168.202.11:80' },
  { lab: BRIDGE_LAB, from: 'host', to: '203.0.113.2:80', hops: ['host', 'fox'], nat: 'DNAT 203.0.113.2:80 -> 192.168.202.11:80' },
  { lab: BRIDGE_LAB, from: 'bear', to: '192.168.202.11:80', hops: ['bear', 'host', 'fox'] },
  { lab: KUBERNETES_LAB, from: 'pod-a', to: '10.96.0.10:80', hops: ['pod-a', 'node1', 'host', 'node2', 'pod-b'], nat: 'DNAT 10.96.0.10:80 -> 10.244.2.2:80' },
];
