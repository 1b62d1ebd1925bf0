// The course's networks as bash scripts, for real-sandbox tests and for recording fixtures:
// the two-namespace bridge lab (fox and bear on vnet-animals, NAT, DNAT, a web server in fox)
// and a two-node Kubernetes-style lab (nodes and pods as namespaces, podCIDR routes, a ClusterIP).
import { resolve } from 'node:path';
import { packageRoot } from '../src/world/sandbox/paths.js';

const webServer = resolve(packageRoot, 'assets/upstream-server.pl');

/** Starts the perl web server on :80 in namespace NS and waits until it listens. */
export function startWebServer(ns: string): string {
  return `
out=$(mktemp)
ip netns exec ${ns} perl ${webServer} >"$out" 2>&1 &
for _ in $(seq 500); do grep -q listening "$out" && break; sleep 0.01; done
grep -q listening "$out" || { echo "web server in ${ns} did not start: $(cat "$out")" >&2; exit 1; }
`;
}

/** The course network: fox .11 and bear .12 on vnet-animals (192.168.202.0/24, gateway .1 on the
 *  bridge), ip_forward, MASQUERADE to the uplink, DNAT of the host's :80 to fox (PREROUTING from
 *  the uplink, OUTPUT for the host's own requests), and a web server in fox. */
export const BRIDGE_LAB = `
set -e
ip netns add fox
ip netns add bear
ip link add vnet-animals type bridge
ip link set vnet-animals up
ip addr add 192.168.202.1/24 dev vnet-animals
for n in fox bear; do
  ip link add veth-$n type veth peer name veth-$n-br
  ip link set veth-$n netns $n
  ip link set veth-$n-br master vnet-animals
  ip link set veth-$n-br up
  ip -n $n link set lo up
  ip -n $n link set veth-$n up
done
ip -n fox addr add 192.168.202.11/24 dev veth-fox
ip -n bear addr add 192.168.202.12/24 dev veth-bear
ip -n fox route add default via 192.168.202.1
ip -n bear route add default via 192.168.202.1
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE
iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80
iptables -t nat -A OUTPUT -d 203.0.113.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80
${startWebServer('fox')}
`;

/** Two nodes (node1 10.0.0.11, node2 10.0.0.12 on the host's bridge vnet-nodes 10.0.0.0/24),
 *  each with a cni0 bridge for its podCIDR (10.244.1.0/24, 10.244.2.0/24) and one pod netns
 *  (pod-a 10.244.1.2 on node1, pod-b 10.244.2.2 on node2), routes between the podCIDRs via the
 *  node addresses, and a ClusterIP 10.96.0.10:80 -> pod-b:80 written as kube-proxy would. */
export const KUBERNETES_LAB = `
set -e
ip link add vnet-nodes type bridge
ip link set vnet-nodes up
ip addr add 10.0.0.1/24 dev vnet-nodes
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 10.0.0.0/16 ! -o vnet-nodes -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.244.0.0/16 ! -o vnet-nodes -j MASQUERADE
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
ip route add 10.244.1.0/24 via 10.0.0.11
ip route add 10.244.2.0/24 via 10.0.0.12
for p in pod-a:node1:1 pod-b:node2:2; do
  IFS=: read -r pod node i <<<"$p"
  ip netns add $pod
  ip -n $node link add veth-$pod type veth peer name eth0 netns $pod
  ip -n $node link set veth-$pod master cni0 up
  ip -n $node link set veth-$pod type bridge_slave hairpin on
  ip -n $pod link set lo up
  ip -n $pod link set eth0 up
  ip -n $pod addr add 10.244.$i.2/24 dev eth0
  ip -n $pod route add default via 10.244.$i.1
done
for n in node1 node2; do
  ip netns exec $n iptables -t nat -N KUBE-SERVICES
  ip netns exec $n iptables -t nat -N KUBE-SVC-WEB
  ip netns exec $n iptables -t nat -N KUBE-SEP-WEB
  ip netns exec $n iptables -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
  ip netns exec $n iptables -t nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
  ip netns exec $n iptables -t nat -A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web cluster IP" --dport 80 -j KUBE-SVC-WEB
  ip netns exec $n iptables -t nat -A KUBE-SVC-WEB -m comment --comment "default/web -> 10.244.2.2:80" -j KUBE-SEP-WEB
  ip netns exec $n iptables -t nat -A KUBE-SEP-WEB -p tcp -m tcp -j DNAT --to-destination 10.244.2.2:80
done
${startWebServer('pod-b')}
`;

/** The course network with its NAT done by native nftables instead of iptables: MASQUERADE and
 *  the uplink's DNAT in a table of its own (the host's own-request DNAT stays in iptables). */
export const NFT_NAT_LAB = `${BRIDGE_LAB}
iptables -t nat -F POSTROUTING
iptables -t nat -F PREROUTING
nft -f - <<'NFT'
table ip lab-nat {
  chain post {
    type nat hook postrouting priority srcnat;
    ip saddr 192.168.202.0/24 oifname != "vnet-animals" masquerade
  }
  chain pre {
    type nat hook prerouting priority dstnat;
    iifname "eth0" tcp dport 80 dnat to 192.168.202.11:80
  }
}
NFT
`;

/** A Calico-style pod: a /32 address, a default route via 169.254.1.1 that nobody has, and the
 *  host's end of the veth (no address) answering ARP for it by proxy_arp (at once: proxy_delay 0,
 *  as Calico sets it); the host routes to each pod by a host route. */
export const PROXY_ARP_LAB = `
set -e
ip netns add pod1
ip link add cali1 type veth peer name eth0 netns pod1
ip link set cali1 up
ip -n pod1 link set lo up
ip -n pod1 link set eth0 up
ip -n pod1 addr add 10.10.0.5/32 dev eth0
ip -n pod1 route add 169.254.1.1 dev eth0 scope link
ip -n pod1 route add default via 169.254.1.1 dev eth0
sysctl -qw net.ipv4.conf.cali1.proxy_arp=1 net.ipv4.neigh.cali1.proxy_delay=0
sysctl -qw net.ipv4.ip_forward=1
ip route add 10.10.0.5 dev cali1
iptables -t nat -A POSTROUTING -s 10.10.0.0/16 -o eth0 -j MASQUERADE
`;

/** Runs at most `limit` of the given tasks at once (sandboxes are heavy on a shared machine). */
export function createLimiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
