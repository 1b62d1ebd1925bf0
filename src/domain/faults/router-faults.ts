// Fault kinds on the policy-routing router and on the native-nftables router.
import { deleteNftRule, faultsOn, replaceNftRule } from './define-fault.js';

const router = 'ip -n router';

export const POLICY_ROUTER_FAULTS = faultsOn('policy-router', [
  { id: 'policy-rule-missing', title: "the guests' ip rule is gone", topic: 'policy-routing', level: 3, inject: `${router} rule del from 10.2.0.0/24 lookup 200`, names: ['router', '10.2.0.0/24'], breaks: 'guest-to-server' },
  { id: 'policy-table-default-missing', title: 'table 200 has no default route', topic: 'policy-routing', level: 3, inject: `${router} route del default table 200`, names: ['router', '200'], breaks: 'guest-to-server' },
  { id: 'policy-table-wrong-gateway', title: 'table 200 sends guests to the wrong ISP', topic: 'policy-routing', level: 3, inject: `${router} route replace default via 100.64.1.1 table 200`, names: ['router', '200'], breaks: 'guest-to-server' },
  { id: 'policy-rule-shadowed', title: 'an earlier rule sends guests to main', topic: 'policy-routing', level: 3, inject: `${router} rule add from 10.2.0.0/24 lookup main priority 500`, names: ['router', '500'], breaks: 'guest-to-server' },
  { id: 'policy-prohibit-rule', title: 'a prohibit rule for guests', topic: 'policy-routing', level: 3, inject: `${router} rule add from 10.2.0.0/24 to 198.18.0.0/24 prohibit priority 100`, names: ['router', 'prohibit'], breaks: 'guest-to-server' },
  { id: 'policy-table-blackhole', title: 'a blackhole in table 200', topic: 'policy-routing', level: 3, inject: `${router} route add blackhole 198.18.0.0/24 table 200`, names: ['router', 'blackhole'], breaks: 'guest-to-server' },
  { id: 'policy-forward-off', title: 'the router does not forward', topic: 'forwarding', level: 1, inject: 'ip netns exec router sysctl -qw net.ipv4.ip_forward=0', names: ['router', 'ip_forward'], breaks: 'lan-to-server' },
  { id: 'policy-main-default-missing', title: 'the main table has no default route', topic: 'routing', level: 1, inject: `${router} route del default`, names: ['router', 'default'], breaks: 'lan-to-server' },
  { id: 'policy-uplink-down', title: 'the second uplink is down', topic: 'link', level: 1, inject: `${router} link set up-b down`, names: ['router', 'up-b'], breaks: 'guest-to-server' },
  { id: 'policy-isp-return-missing', title: 'isp-b has no route back to the guests', topic: 'routing', level: 2, inject: 'ip -n isp-b route del 10.2.0.0/24', names: ['isp-b', '10.2.0.0/24'], breaks: 'guest-to-server' },
  { id: 'policy-client-wrong-gateway', title: "the lan client's gateway is wrong", topic: 'routing', level: 2, inject: 'ip -n lan route replace default via 10.1.0.99', names: ['lan', '10.1.0.99'], breaks: 'lan-to-server' },
  { id: 'policy-forward-reject', title: 'the router rejects forwarded guest traffic', topic: 'firewall', level: 2, inject: 'ip netns exec router iptables -A FORWARD -i guest0 -j REJECT', names: ['router', 'FORWARD'], breaks: 'guest-to-server' },
  { id: 'policy-guest-slash32', title: "the guest's address is a /32", topic: 'addressing', level: 2, inject: 'ip -n guest addr del 10.2.0.2/24 dev eth0\nip -n guest addr add 10.2.0.2/32 dev eth0', names: ['guest', '/32'], breaks: 'guest-to-server' },
]);

export const NFT_ROUTER_FAULTS = faultsOn('nft-router', [
  { id: 'nft-lan-accept-missing', title: 'the forward chain lost its accept for lan to uplink', topic: 'nftables', level: 2, inject: deleteNftRule('inet filter', 'forward', 'iifname "lan0" oifname "eth0"'), names: ['host', 'forward'], breaks: 'pc-to-internet' },
  { id: 'nft-established-missing', title: 'the forward chain lost its ct state accept', topic: 'nftables', level: 3, inject: deleteNftRule('inet filter', 'forward', 'ct state'), names: ['host', 'forward'], breaks: 'pc-to-internet' },
  { id: 'nft-dnat-missing', title: 'the uplink port has no dnat', topic: 'nftables', level: 2, inject: deleteNftRule('ip nat', 'prerouting', 'dnat'), names: ['host', '8080'], breaks: 'internet-to-www' },
  { id: 'nft-dnat-wrong-port', title: 'the dnat goes to a closed port', topic: 'nftables', level: 2, inject: replaceNftRule('ip nat', 'prerouting', 'dnat', 'iifname "eth0" tcp dport 8080 dnat to 10.4.0.2:81'), names: ['host', '10.4.0.2:81'], breaks: 'internet-to-www' },
  { id: 'nft-masquerade-missing', title: 'the lan is not masqueraded', topic: 'nftables', level: 2, inject: deleteNftRule('ip nat', 'postrouting', 'masquerade'), names: ['host', 'masquerade'], breaks: 'pc-to-internet' },
  { id: 'nft-drop-rule', title: 'a drop rule for pc1 in forward', topic: 'nftables', level: 2, inject: 'nft insert rule inet filter forward ip saddr 10.3.0.2 drop', names: ['host', 'drop'], breaks: 'pc-to-internet' },
  { id: 'nft-dmz-port-changed', title: 'the lan to dmz accept names another port', topic: 'nftables', level: 2, inject: replaceNftRule('inet filter', 'forward', 'iifname "lan0" oifname "dmz0"', 'iifname "lan0" oifname "dmz0" tcp dport 81 accept'), names: ['host', 'forward'], breaks: 'pc-to-www' },
  { id: 'nft-notrack', title: 'a raw-priority notrack skips the dnat', topic: 'nftables', level: 3, inject: `nft add table ip raw\nnft add chain ip raw pre '{ type filter hook prerouting priority raw; }'\nnft add rule ip raw pre tcp dport 8080 notrack`, names: ['host', 'notrack'], breaks: 'internet-to-www' },
  { id: 'nft-netdev-ingress-drop', title: 'a netdev ingress chain on dmz0 drops everything', topic: 'nftables', level: 3, inject: `nft add table netdev edge\nnft add chain netdev edge in '{ type filter hook ingress device "dmz0" priority 0; }'\nnft add rule netdev edge in drop`, names: ['host', 'dmz0'], breaks: 'pc-to-www' },
  { id: 'nft-second-table-drop', title: 'a second forward chain drops by policy', topic: 'nftables', level: 3, inject: `nft add table ip guard\nnft add chain ip guard fw '{ type filter hook forward priority 10; policy drop; }'`, names: ['host', 'guard'], breaks: 'pc-to-internet' },
  { id: 'nft-dmz-link-down', title: 'dmz0 is down', topic: 'link', level: 1, inject: 'ip link set dmz0 down', names: ['host', 'dmz0'], breaks: 'pc-to-www' },
  { id: 'nft-www-no-default', title: 'www has no default route', topic: 'routing', level: 1, inject: 'ip -n www route del default', names: ['www', 'default'], breaks: 'pc-to-www' },
  { id: 'nft-pc-output-drop', title: "pc1's own nft output chain drops web traffic", topic: 'nftables', level: 3, inject: `ip netns exec pc1 nft add table inet host\nip netns exec pc1 nft add chain inet host out '{ type filter hook output priority 0; }'\nip netns exec pc1 nft add rule inet host out tcp dport 80 drop`, names: ['pc1', 'host'], breaks: 'pc-to-www' },
]);
