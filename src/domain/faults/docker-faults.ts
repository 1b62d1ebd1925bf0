// Fault kinds on the Docker-style host (docker0, web published on :8080, Docker's chains).
import { faultsOn } from './define-fault.js';

export const DOCKER_FAULTS = faultsOn('docker-host', [
  { id: 'docker-user-drop', title: 'DOCKER-USER drops the published port', topic: 'docker', level: 3, inject: 'iptables -I DOCKER-USER -p tcp --dport 80 -j DROP', names: ['host', 'DOCKER-USER'], breaks: 'internet-to-web' },
  { id: 'docker-user-drop-source', title: "DOCKER-USER drops the web container's traffic", topic: 'docker', level: 3, inject: 'iptables -I DOCKER-USER -s 172.17.0.2 -j DROP', names: ['host', 'DOCKER-USER'], breaks: 'web-to-internet' },
  { id: 'docker-filter-jump-missing', title: 'FORWARD no longer jumps to DOCKER', topic: 'docker', level: 3, inject: 'iptables -D FORWARD -o docker0 -j DOCKER', names: ['host', 'DOCKER'], breaks: 'internet-to-web' },
  { id: 'docker-filter-accept-missing', title: 'the DOCKER chain lost its ACCEPT for web', topic: 'docker', level: 3, inject: 'iptables -F DOCKER', names: ['host', 'DOCKER'], breaks: 'internet-to-web' },
  { id: 'docker-nat-jump-missing', title: 'nat PREROUTING no longer jumps to DOCKER', topic: 'docker', level: 3, inject: 'iptables -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER', names: ['host', 'PREROUTING'], breaks: 'internet-to-web' },
  { id: 'docker-output-jump-missing', title: 'nat OUTPUT no longer jumps to DOCKER', topic: 'docker', level: 3, inject: 'iptables -t nat -D OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER', names: ['host', 'OUTPUT'], breaks: 'host-to-web' },
  { id: 'docker-dnat-wrong-port', title: 'the published port DNATs to a closed port', topic: 'dnat', level: 2, inject: 'iptables -t nat -R DOCKER 2 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:8081', names: ['host', '172.17.0.2:8081'], breaks: 'internet-to-web' },
  { id: 'docker-return-shadows-dnat', title: 'a RETURN at the top of nat DOCKER shadows the DNAT', topic: 'docker', level: 3, inject: 'iptables -t nat -I DOCKER 1 -j RETURN', names: ['host', 'RETURN'], breaks: 'internet-to-web' },
  { id: 'docker-masquerade-missing', title: 'the containers are not masqueraded', topic: 'nat', level: 2, inject: 'iptables -t nat -D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', names: ['host', 'MASQUERADE'], breaks: 'web-to-internet' },
  { id: 'docker-isolation-drop', title: 'the isolation stage drops docker0 traffic outward', topic: 'docker', level: 3, inject: 'iptables -I DOCKER-ISOLATION-STAGE-1 -i docker0 -j DROP', names: ['host', 'DOCKER-ISOLATION-STAGE-1'], breaks: 'web-to-internet' },
  { id: 'docker-established-missing', title: 'FORWARD lost its accept for replies', topic: 'firewall', level: 3, inject: 'iptables -D FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', names: ['host', 'FORWARD'], breaks: 'web-to-internet' },
  { id: 'docker-outbound-accept-missing', title: 'FORWARD lost its accept for containers going out', topic: 'firewall', level: 2, inject: 'iptables -D FORWARD -i docker0 ! -o docker0 -j ACCEPT', names: ['host', 'FORWARD'], breaks: 'web-to-internet' },
  { id: 'docker-no-default-route', title: 'the web container has no default route', topic: 'routing', level: 1, inject: 'ip -n web route del default', names: ['web', 'default'], breaks: 'web-to-internet' },
  { id: 'docker-bridge-down', title: 'docker0 is down', topic: 'bridge', level: 1, inject: 'ip link set docker0 down', names: ['host', 'docker0'], breaks: 'db-to-web' },
  { id: 'docker-port-detached', title: "web's veth left docker0", topic: 'bridge', level: 1, inject: 'ip link set veth-web nomaster', names: ['host', 'veth-web'], breaks: 'db-to-web' },
  { id: 'docker-container-link-down', title: "db's eth0 is down", topic: 'link', level: 1, inject: 'ip -n db link set eth0 down', names: ['db', 'eth0'], breaks: 'db-to-web' },
  { id: 'docker-ip-forward-off', title: 'the host does not forward', topic: 'forwarding', level: 1, inject: 'sysctl -qw net.ipv4.ip_forward=0', names: ['host', 'ip_forward'], breaks: 'web-to-internet' },
  { id: 'docker-bridged-accept-missing', title: 'FORWARD lost its accept for container to container (br_netfilter)', topic: 'firewall', level: 3, inject: 'iptables -D FORWARD -i docker0 -o docker0 -j ACCEPT', names: ['host', 'FORWARD'], breaks: 'db-to-web' },
  { id: 'docker-web-input-reject', title: "the web container's INPUT rejects :80", topic: 'firewall', level: 2, inject: 'ip netns exec web iptables -A INPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset', names: ['web', 'INPUT'], breaks: 'db-to-web' },
]);
