// Reference fixes for the fault kinds whose diagnoser fix does not restore the whole matrix (too
// broad, so a closed path opens, or only part of it), found by `exam --self-test` and
// `drill --self-test`. The drills' and the exam's reference solution runs these where one exists
// and the diagnoser's printed fix elsewhere. Each undoes its fault's inject exactly.
export const REFERENCE_FIXES: Readonly<Record<string, string>> = {
  'docker-user-drop-source': 'iptables -D DOCKER-USER -s 172.17.0.2 -j DROP',
  'docker-filter-jump-missing': 'iptables -I FORWARD 4 -o docker0 -j DOCKER',
  'docker-filter-accept-missing': 'iptables -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT',
  'docker-return-shadows-dnat': 'iptables -t nat -D DOCKER -j RETURN',
  'docker-dnat-wrong-port': 'iptables -t nat -R DOCKER 2 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80',
  'docker-established-missing': 'iptables -I FORWARD 3 -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  'kube-return-route-missing': 'ip -n node2 route add 10.244.1.0/24 via 10.0.0.11',
  // setting the link down took node1's routes through it away as well
  'kube-node-link-down': 'ip -n node1 link set eth0 up\nip -n node1 route replace default via 10.0.0.1\nip -n node1 route replace 10.244.2.0/24 via 10.0.0.12',
  'nft-dnat-missing': 'nft add rule ip nat prerouting iifname "eth0" tcp dport 8080 dnat to 10.4.0.2:80',
};
