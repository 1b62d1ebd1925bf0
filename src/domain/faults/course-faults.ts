// Fault kinds on the course's lesson 7 end state (fox and bear on vnet-animals, NAT and DNAT).
import { faultsOn } from './define-fault.js';

const MASQ = '-s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE';
const FOX_DNAT = '-i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80';
const BEAR_DNAT = '-i eth0 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 192.168.202.12:8080';

export const COURSE_FAULTS = faultsOn('course-dnat', [
  { id: 'course-fox-link-down', title: "fox's veth is down", topic: 'link', level: 1, inject: 'ip -n fox link set veth-fox down', names: ['fox', 'veth-fox'], breaks: 'bear-to-fox' },
  { id: 'course-bridge-port-down', title: "fox's bridge port is down", topic: 'bridge', level: 1, inject: 'ip link set veth-fox-br down', names: ['host', 'veth-fox-br'], breaks: 'bear-to-fox' },
  { id: 'course-bridge-down', title: 'the bridge is down', topic: 'bridge', level: 1, inject: 'ip link set vnet-animals down', names: ['host', 'vnet-animals'], breaks: 'fox-to-internet' },
  { id: 'course-port-detached', title: "bear's port left the bridge", topic: 'bridge', level: 1, inject: 'ip link set veth-bear-br nomaster', names: ['host', 'veth-bear-br'], breaks: 'bear-to-fox' },
  { id: 'course-ports-isolated', title: 'both bridge ports are isolated', topic: 'bridge', level: 2, inject: 'ip link set veth-fox-br type bridge_slave isolated on\nip link set veth-bear-br type bridge_slave isolated on', names: ['host', 'isolated'], breaks: 'bear-to-fox' },
  { id: 'course-no-default-route', title: 'fox has no default route', topic: 'routing', level: 1, inject: 'ip -n fox route del default', names: ['fox', 'default'], breaks: 'fox-to-internet' },
  { id: 'course-wrong-gateway', title: "fox's default route points at nobody", topic: 'routing', level: 2, inject: 'ip -n fox route replace default via 192.168.202.99', names: ['fox', '192.168.202.99'], breaks: 'fox-to-internet' },
  { id: 'course-blackhole-route', title: 'a blackhole route in fox', topic: 'routing', level: 2, inject: 'ip -n fox route add blackhole 198.51.100.0/24', names: ['fox', 'blackhole'], breaks: 'fox-to-internet' },
  { id: 'course-prohibit-rule', title: 'an ip rule prohibits the lab range on the host', topic: 'policy-routing', level: 3, inject: 'ip rule add from 192.168.202.0/24 to 198.51.100.0/24 prohibit priority 100', names: ['host', 'prohibit'], breaks: 'fox-to-internet' },
  { id: 'course-ip-forward-off', title: 'the host does not forward', topic: 'forwarding', level: 1, inject: 'sysctl -qw net.ipv4.ip_forward=0', names: ['host', 'ip_forward'], breaks: 'fox-to-internet' },
  { id: 'course-address-removed', title: "fox lost its address", topic: 'addressing', level: 1, inject: 'ip -n fox addr del 192.168.202.11/24 dev veth-fox', names: ['fox', '192.168.202.11'], breaks: 'bear-to-fox' },
  { id: 'course-address-slash32', title: "fox's address is a /32", topic: 'addressing', level: 2, inject: 'ip -n fox addr del 192.168.202.11/24 dev veth-fox\nip -n fox addr add 192.168.202.11/32 dev veth-fox', names: ['fox', '/32'], breaks: 'bear-to-fox' },
  { id: 'course-stale-neighbour', title: 'bear has a permanent wrong MAC for fox', topic: 'neighbour', level: 2, inject: 'ip -n bear neigh replace 192.168.202.11 lladdr 02:00:00:00:00:01 dev veth-bear nud permanent', names: ['bear', '192.168.202.11'], breaks: 'bear-to-fox' },
  { id: 'course-arp-off', title: "fox's veth answers no ARP", topic: 'neighbour', level: 2, inject: 'ip -n fox link set veth-fox arp off', names: ['fox', 'veth-fox'], breaks: 'bear-to-fox' },
  { id: 'course-masquerade-missing', title: 'the MASQUERADE rule is gone', topic: 'nat', level: 2, inject: `iptables -t nat -D POSTROUTING ${MASQ}`, names: ['host', 'MASQUERADE'], breaks: 'fox-to-internet' },
  { id: 'course-masquerade-wrong-out', title: 'MASQUERADE matches the wrong output interface', topic: 'nat', level: 2, inject: `iptables -t nat -R POSTROUTING 1 -s 192.168.202.0/24 -o vnet-animals -j MASQUERADE`, names: ['host', 'MASQUERADE'], breaks: 'fox-to-internet' },
  { id: 'course-dnat-wrong-port', title: 'the DNAT sends to a port nobody listens on', topic: 'dnat', level: 2, inject: `iptables -t nat -D PREROUTING ${FOX_DNAT}\niptables -t nat -I PREROUTING 1 -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:81`, names: ['host', '192.168.202.11:81'], breaks: 'internet-to-fox' },
  { id: 'course-dnat-wrong-address', title: 'the DNAT sends to an address nobody has', topic: 'dnat', level: 2, inject: `iptables -t nat -D PREROUTING ${FOX_DNAT}\niptables -t nat -I PREROUTING 1 -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.13:80`, names: ['host', '192.168.202.13'], breaks: 'internet-to-fox' },
  { id: 'course-dnat-wrong-in', title: 'the DNAT matches the wrong input interface', topic: 'dnat', level: 2, inject: `iptables -t nat -D PREROUTING ${FOX_DNAT}\niptables -t nat -I PREROUTING 1 -i vnet-animals -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80`, names: ['host', 'DNAT'], breaks: 'internet-to-fox' },
  { id: 'course-dnat-missing', title: 'the published port has no DNAT', topic: 'dnat', level: 2, inject: `iptables -t nat -D PREROUTING ${BEAR_DNAT}`, names: ['host', '8000'], breaks: 'internet-to-bear' },
  { id: 'course-dnat-to-loopback-only', title: "the DNAT goes to bear's port bound to 127.0.0.1", topic: 'dnat', level: 3, inject: `iptables -t nat -R PREROUTING 2 -i eth0 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 192.168.202.12:8000`, names: ['host', '8000'], breaks: 'internet-to-bear' },
  { id: 'course-output-dnat-missing', title: "the host's own request has no DNAT", topic: 'dnat', level: 3, inject: 'iptables -t nat -D OUTPUT -d 203.0.113.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80', names: ['host', 'OUTPUT'], breaks: 'host-to-fox' },
  { id: 'course-forward-policy-drop', title: 'FORWARD drops by policy', topic: 'firewall', level: 2, inject: 'iptables -P FORWARD DROP', names: ['host', 'FORWARD'], breaks: 'fox-to-internet' },
  { id: 'course-forward-drop-rule', title: 'a FORWARD rule drops fox', topic: 'firewall', level: 2, inject: 'iptables -I FORWARD -s 192.168.202.11 -j DROP', names: ['host', 'FORWARD'], breaks: 'fox-to-internet' },
  { id: 'course-forward-new-dropped', title: 'FORWARD drops new connections', topic: 'firewall', level: 3, inject: 'iptables -I FORWARD -m conntrack --ctstate NEW -j DROP', names: ['host', 'FORWARD'], breaks: 'fox-to-internet' },
  { id: 'course-input-drop-in-fox', title: "fox's INPUT drops its web port", topic: 'firewall', level: 2, inject: 'ip netns exec fox iptables -A INPUT -p tcp --dport 80 -j DROP', names: ['fox', 'INPUT'], breaks: 'bear-to-fox' },
  { id: 'course-notrack', title: 'a raw NOTRACK rule skips the DNAT', topic: 'nat', level: 3, inject: 'iptables -t raw -A PREROUTING -i eth0 -p tcp --dport 80 -j NOTRACK', names: ['host', 'NOTRACK'], breaks: 'internet-to-fox' },
  { id: 'course-nft-forward-drop', title: 'a native nft table drops forwarded traffic', topic: 'nftables', level: 3, inject: `nft add table inet guard\nnft add chain inet guard fw '{ type filter hook forward priority 0; policy drop; }'`, names: ['host', 'guard'], breaks: 'fox-to-internet' },
  { id: 'course-wrong-namespace-dnat', title: 'the DNAT was written in fox instead of the host', topic: 'dnat', level: 3, inject: `iptables -t nat -D PREROUTING ${FOX_DNAT}\nip netns exec fox iptables -t nat -A PREROUTING ${FOX_DNAT}`, names: ['host', 'fox'], breaks: 'internet-to-fox' },
]);
