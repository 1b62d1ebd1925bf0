// Fault kinds on the two-node cluster (kube-proxy's nat chains, podCIDR routes, cni0 bridges).
import { faultsOn } from './define-fault.js';

const n1 = 'ip netns exec node1 iptables -t nat';

export const KUBE_FAULTS = faultsOn('kube-cluster', [
  { id: 'kube-service-jump-missing', title: 'KUBE-SERVICES lost the ClusterIP rule', topic: 'kubernetes', level: 3, inject: `${n1} -D KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB`, names: ['node1', 'KUBE-SERVICES'], breaks: 'pod-to-clusterip' },
  { id: 'kube-portal-jump-missing', title: 'PREROUTING no longer jumps to KUBE-SERVICES', topic: 'kubernetes', level: 3, inject: `${n1} -D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`, names: ['node1', 'KUBE-SERVICES'], breaks: 'pod-to-clusterip' },
  { id: 'kube-endpoint-wrong-port', title: 'the endpoint DNATs to a closed port', topic: 'kubernetes', level: 2, inject: `${n1} -R KUBE-SEP-WEB 2 -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.2.2:8080`, names: ['node1', '10.244.2.2:8080'], breaks: 'pod-to-clusterip' },
  { id: 'kube-endpoint-flushed', title: 'the endpoint chain is empty', topic: 'kubernetes', level: 3, inject: `${n1} -F KUBE-SEP-WEB`, names: ['node1', 'KUBE-SEP-WEB'], breaks: 'pod-to-clusterip' },
  { id: 'kube-svc-jump-missing', title: 'the service chain no longer jumps to its endpoint', topic: 'kubernetes', level: 3, inject: `${n1} -D KUBE-SVC-WEB -m comment --comment "default/web -> 10.244.2.2:80" -j KUBE-SEP-WEB`, names: ['node1', 'KUBE-SVC-WEB'], breaks: 'pod-to-clusterip' },
  { id: 'kube-mark-masq-empty', title: 'KUBE-MARK-MASQ marks nothing', topic: 'kubernetes', level: 3, inject: `${n1} -F KUBE-MARK-MASQ`, names: ['node1', 'KUBE-MARK-MASQ'], breaks: 'host-to-nodeport' },
  { id: 'kube-postrouting-jump-missing', title: 'POSTROUTING no longer jumps to KUBE-POSTROUTING', topic: 'kubernetes', level: 3, inject: `${n1} -D POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING`, names: ['node1', 'KUBE-POSTROUTING'], breaks: 'host-to-nodeport' },
  { id: 'kube-nodeports-jump-missing', title: 'KUBE-SERVICES no longer jumps to KUBE-NODEPORTS', topic: 'kubernetes', level: 3, inject: `${n1} -D KUBE-SERVICES -m comment --comment "kubernetes service nodeports" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`, names: ['node1', 'KUBE-NODEPORTS'], breaks: 'host-to-nodeport' },
  { id: 'kube-nodeport-wrong-port', title: 'the NodePort rule matches another port', topic: 'kubernetes', level: 3, inject: `${n1} -R KUBE-NODEPORTS 1 -p tcp -m comment --comment "default/web" -m tcp --dport 30081 -j KUBE-EXT-WEB`, names: ['node1', 'KUBE-NODEPORTS'], breaks: 'host-to-nodeport' },
  { id: 'kube-podcidr-route-missing', title: "node1 has no route to node2's podCIDR", topic: 'routing', level: 2, inject: 'ip -n node1 route del 10.244.2.0/24', names: ['node1', '10.244.2.0/24'], breaks: 'pod-to-pod' },
  { id: 'kube-podcidr-route-wrong-node', title: "node1 routes node2's podCIDR via itself", topic: 'routing', level: 2, inject: 'ip -n node1 route replace 10.244.2.0/24 via 10.0.0.13', names: ['node1', '10.244.2.0/24'], breaks: 'pod-to-pod' },
  { id: 'kube-return-route-missing', title: "node2 has no route back to node1's podCIDR", topic: 'routing', level: 2, inject: 'ip -n node2 route del 10.244.1.0/24', names: ['node2', '10.244.1.0/24'], breaks: 'pod-to-pod' },
  { id: 'kube-cni-bridge-down', title: "node2's cni0 is down", topic: 'bridge', level: 1, inject: 'ip -n node2 link set cni0 down', names: ['node2', 'cni0'], breaks: 'pod-to-pod' },
  { id: 'kube-pod-port-detached', title: "pod-b's veth left cni0", topic: 'bridge', level: 1, inject: 'ip -n node2 link set veth-pod-b nomaster', names: ['node2', 'veth-pod-b'], breaks: 'pod-to-pod' },
  { id: 'kube-node-forward-off', title: 'node2 does not forward', topic: 'forwarding', level: 1, inject: 'ip netns exec node2 sysctl -qw net.ipv4.ip_forward=0', names: ['node2', 'ip_forward'], breaks: 'pod-to-pod' },
  { id: 'kube-node-link-down', title: "node1's eth0 is down", topic: 'link', level: 1, inject: 'ip -n node1 link set eth0 down', names: ['node1', 'eth0'], breaks: 'pod-to-pod' },
  { id: 'kube-policy-drop', title: 'node2 drops traffic to pod-b', topic: 'firewall', level: 2, inject: 'ip netns exec node2 iptables -I FORWARD -d 10.244.2.2 -p tcp --dport 80 -j DROP', names: ['node2', 'FORWARD'], breaks: 'pod-to-pod' },
  { id: 'kube-pod-no-default', title: 'pod-a has no default route', topic: 'routing', level: 1, inject: 'ip -n pod-a route del default', names: ['pod-a', 'default'], breaks: 'pod-to-clusterip' },
  { id: 'kube-pod-egress-masq-missing', title: 'node1 no longer masquerades pod egress', topic: 'nat', level: 2, inject: `${n1} -D POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -m comment --comment "pod egress" -j MASQUERADE`, names: ['node1', 'MASQUERADE'], breaks: 'pod-to-internet' },
]);
