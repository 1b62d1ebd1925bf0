// The base networks faults are injected into: each a working world and the paths that must work
// in it. The course's lesson 7 end state (replayed from the course), a Docker-style host, a
// two-node Kubernetes-style cluster with kube-proxy's chains, a router with policy routing, and
// a router whose firewall and NAT are native nftables.
import type { BaseId, BaseNetwork } from './types.js';
import { listenScript } from './scripts.js';

const INTERNET = '198.51.100.10';

/** Lesson 7's end: fox .11 (server :80) and bear .12 (server :8080) on vnet-animals, MASQUERADE
 *  out, DNAT of the uplink's :80 to fox and :8000 to bear:8080, and the host's own :80 request. */
const courseDnat: BaseNetwork = {
  id: 'course-dnat',
  title: "the course's lesson 7 end state (bridge, NAT, DNAT)",
  setup: { kind: 'course-end', lesson: 'dnat' },
  probes: [
    { id: 'internet-to-fox', from: 'internet', to: { address: '203.0.113.2', port: 80 } },
    { id: 'internet-to-bear', from: 'internet', to: { address: '203.0.113.2', port: 8000 } },
    { id: 'host-to-fox', from: 'host', to: { address: '203.0.113.2', port: 80 } },
    { id: 'fox-to-internet', from: 'fox', to: { address: INTERNET } },
    { id: 'bear-to-fox', from: 'bear', to: { address: '192.168.202.11', port: 80 } },
  ],
};

/** docker0 172.17.0.0/16 with containers web (.2, :80, published as the host's :8080) and db
 *  (.3), the chains Docker writes (DOCKER, DOCKER-USER, the isolation stages), FORWARD DROP. */
const dockerHost: BaseNetwork = {
  id: 'docker-host',
  title: 'a Docker-style host (docker0, published port, DOCKER chains)',
  setup: {
    kind: 'script',
    script: `
set -e
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
i=1
for c in web db; do
  i=$((i+1))
  ip netns add $c
  ip link add veth-$c type veth peer name eth0 netns $c
  ip link set veth-$c master docker0 up
  ip -n $c link set lo up
  ip -n $c link set eth0 up
  ip -n $c addr add 172.17.0.$i/16 dev eth0
  ip -n $c route add default via 172.17.0.1
done
sysctl -qw net.ipv4.ip_forward=1
iptables-restore <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
RULES
${listenScript('web', 80)}`,
  },
  probes: [
    { id: 'internet-to-web', from: 'internet', to: { address: '203.0.113.2', port: 8080 } },
    { id: 'host-to-web', from: 'host', to: { address: '203.0.113.2', port: 8080 } },
    { id: 'db-to-web', from: 'db', to: { address: '172.17.0.2', port: 80 } },
    { id: 'web-to-internet', from: 'web', to: { address: INTERNET } },
  ],
};

/** Two nodes on the host's bridge vnet-nodes (10.0.0.11, .12), each with cni0 and a pod (pod-a
 *  10.244.1.2 on node1, pod-b 10.244.2.2 on node2, :80), podCIDR routes between the nodes,
 *  egress masqueraded by the nodes, and kube-proxy's nat chains for ClusterIP 10.96.0.10:80 and
 *  NodePort 30080 (mark for masquerade, then KUBE-POSTROUTING masquerades the marked). */
const kubeCluster: BaseNetwork = {
  id: 'kube-cluster',
  title: 'a two-node Kubernetes-style cluster with kube-proxy iptables chains',
  setup: {
    kind: 'script',
    script: `
set -e
ip link add vnet-nodes type bridge
ip link set vnet-nodes up
ip addr add 10.0.0.1/24 dev vnet-nodes
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o vnet-nodes -j MASQUERADE
i=0
for n in node1 node2; do
  i=$((i+1))
  ip netns add $n
  ip link add eth0 netns $n type veth peer name veth-$n
  ip link set veth-$n master vnet-nodes up
  ip -n $n link set lo up
  ip -n $n link set eth0 up
  ip -n $n addr add 10.0.0.1$i/24 dev eth0
  ip -n $n route add default via 10.0.0.1
  ip netns exec $n sysctl -qw net.ipv4.ip_forward=1
  ip -n $n link add cni0 type bridge
  ip -n $n link set cni0 up
  ip -n $n addr add 10.244.$i.1/24 dev cni0
done
ip -n node1 route add 10.244.2.0/24 via 10.0.0.12
ip -n node2 route add 10.244.1.0/24 via 10.0.0.11
for p in pod-a:node1:1 pod-b:node2:2; do
  IFS=: read -r pod node i <<<"$p"
  ip netns add $pod
  ip -n $node link add veth-$pod type veth peer name eth0 netns $pod
  ip -n $node link set veth-$pod master cni0 up
  ip -n $pod link set lo up
  ip -n $pod link set eth0 up
  ip -n $pod addr add 10.244.$i.2/24 dev eth0
  ip -n $pod route add default via 10.244.$i.1
done
for n in node1 node2; do
  ip netns exec $n iptables-restore <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-WEB - [0:0]
:KUBE-EXT-WEB - [0:0]
:KUBE-SEP-WEB - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -m comment --comment "pod egress" -j MASQUERADE
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-EXT-WEB
-A KUBE-EXT-WEB -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-WEB -j KUBE-SVC-WEB
-A KUBE-SVC-WEB ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-WEB -m comment --comment "default/web -> 10.244.2.2:80" -j KUBE-SEP-WEB
-A KUBE-SEP-WEB -s 10.244.2.2/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ
-A KUBE-SEP-WEB -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.2.2:80
COMMIT
RULES
done
${listenScript('pod-b', 80)}`,
  },
  probes: [
    { id: 'pod-to-clusterip', from: 'pod-a', to: { address: '10.96.0.10', port: 80 } },
    { id: 'pod-to-pod', from: 'pod-a', to: { address: '10.244.2.2', port: 80 } },
    { id: 'host-to-nodeport', from: 'host', to: { address: '10.0.0.11', port: 30080 } },
    { id: 'pod-to-internet', from: 'pod-a', to: { address: INTERNET } },
  ],
};

/** A router namespace between a lan (10.1.0.0/24) and a guest network (10.2.0.0/24) and two
 *  uplinks: isp-a (main table's default) and isp-b (table 200, chosen by `ip rule` for guests).
 *  Each ISP routes back only its own customers; the server 198.18.0.10 (:80 on isp-b) sits on
 *  both ISPs' loopback. */
const policyRouter: BaseNetwork = {
  id: 'policy-router',
  title: 'a router with policy routing (ip rule and a second table)',
  setup: {
    kind: 'script',
    script: `
set -e
for n in router lan guest isp-a isp-b; do ip netns add $n; ip -n $n link set lo up; done
link() { ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"; ip -n "$1" link set "$2" up; ip -n "$3" link set "$4" up; }
link router lan0 lan eth0
link router guest0 guest eth0
link router up-a isp-a eth0
link router up-b isp-b eth0
ip -n router addr add 10.1.0.1/24 dev lan0
ip -n router addr add 10.2.0.1/24 dev guest0
ip -n router addr add 100.64.1.2/30 dev up-a
ip -n router addr add 100.64.2.2/30 dev up-b
ip -n lan addr add 10.1.0.2/24 dev eth0
ip -n lan route add default via 10.1.0.1
ip -n guest addr add 10.2.0.2/24 dev eth0
ip -n guest route add default via 10.2.0.1
ip -n isp-a addr add 100.64.1.1/30 dev eth0
ip -n isp-b addr add 100.64.2.1/30 dev eth0
for s in isp-a isp-b; do ip -n $s addr add 198.18.0.10/32 dev lo; done
ip -n isp-a route add 10.1.0.0/24 via 100.64.1.2
ip -n isp-b route add 10.2.0.0/24 via 100.64.2.2
ip netns exec router sysctl -qw net.ipv4.ip_forward=1
ip -n router route add default via 100.64.1.1
ip -n router route add default via 100.64.2.1 table 200
ip -n router rule add from 10.2.0.0/24 lookup 200 priority 1000
${listenScript('isp-b', 80)}`,
  },
  probes: [
    { id: 'lan-to-server', from: 'lan', to: { address: '198.18.0.10' } },
    { id: 'guest-to-server', from: 'guest', to: { address: '198.18.0.10' } },
    { id: 'guest-to-web', from: 'guest', to: { address: '198.18.0.10', port: 80 } },
  ],
};

/** The sandbox's host as a router whose firewall and NAT are native nftables: pc1 on lan0
 *  (10.3.0.0/24), a web server in www on dmz0 (10.4.0.0/24, :80), an inet filter table with a
 *  forward policy of drop, and an ip nat table (masquerade out, the uplink's :8080 to www:80). */
const nftRouter: BaseNetwork = {
  id: 'nft-router',
  title: 'a router with native nftables (inet filter, ip nat)',
  setup: {
    kind: 'script',
    script: `
set -e
i=2
for n in pc1:lan0 www:dmz0; do
  IFS=: read -r ns dev <<<"$n"
  ip netns add $ns
  ip link add $dev type veth peer name eth0 netns $ns
  ip link set $dev up
  ip -n $ns link set lo up
  ip -n $ns link set eth0 up
  ip addr add 10.$((i+1)).0.1/24 dev $dev
  ip -n $ns addr add 10.$((i+1)).0.2/24 dev eth0
  ip -n $ns route add default via 10.$((i+1)).0.1
  i=$((i+1))
done
sysctl -qw net.ipv4.ip_forward=1
nft -f - <<'NFT'
table inet filter {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "lan0" oifname "eth0" accept
    iifname "lan0" oifname "dmz0" tcp dport 80 accept
    iifname "eth0" oifname "dmz0" tcp dport 80 accept
  }
}
table ip nat {
  chain prerouting {
    type nat hook prerouting priority dstnat;
    iifname "eth0" tcp dport 8080 dnat to 10.4.0.2:80
  }
  chain postrouting {
    type nat hook postrouting priority srcnat;
    oifname "eth0" ip saddr 10.3.0.0/24 masquerade
  }
}
NFT
${listenScript('www', 80)}`,
  },
  probes: [
    { id: 'pc-to-internet', from: 'pc1', to: { address: INTERNET } },
    { id: 'pc-to-www', from: 'pc1', to: { address: '10.4.0.2', port: 80 } },
    { id: 'internet-to-www', from: 'internet', to: { address: '203.0.113.2', port: 8080 } },
  ],
};

export const BASE_NETWORKS: readonly BaseNetwork[] = [courseDnat, dockerHost, kubeCluster, policyRouter, nftRouter];

export function baseNetwork(id: BaseId): BaseNetwork {
  const base = BASE_NETWORKS.find((b) => b.id === id);
  if (!base) throw new Error(`no base network "${id}"`);
  return base;
}
