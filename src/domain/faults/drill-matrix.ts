// What the drills add to the fault catalogue: per base network, the paths that must stay CLOSED
// (so "flush the firewall" or `-P FORWARD ACCEPT` does not pass a network that has a policy), the
// setup those closed paths need (a listener that would answer if the policy were gone, a route at
// the simulated internet), and a plain-words sentence for every path, for the ticket.
import type { BaseId, PathProbe } from './types.js';
import { listenScript } from './scripts.js';
import { ipIn, namespaceRef, UPSTREAM_NAME } from '../sandbox-layout.js';

export interface DrillMatrixExtra {
  /** Bash run after the base's setup, before any fault. */
  setup: string;
  /** Paths that must work besides the base's probes (so a half-repaired network does not pass). */
  open: PathProbe[];
  closed: PathProbe[];
}

export const DRILL_EXTRAS: Readonly<Record<BaseId, DrillMatrixExtra>> = {
  'docker-host': {
    // the internet's provider routes db's address to this host (as a neighbour on the same LAN
    // could): only the published port may pass, Docker's FORWARD DROP stops the rest. Only db's
    // /32, so web's traffic out still needs the MASQUERADE (a fault of its own)
    setup: `${ipIn(namespaceRef(UPSTREAM_NAME), 'route add 172.17.0.3/32 via 203.0.113.2')}\n${listenScript('db', 5432)}`,
    // db must still reach out (a link set down and up again loses its default route): without it,
    // db's replies could not leave and the closed path below would prove nothing
    open: [{ id: 'db-to-internet', from: 'db', to: { address: '198.51.100.10' } }],
    closed: [{ id: 'internet-to-db', from: 'internet', to: { address: '172.17.0.3', port: 5432 } }],
  },
  'nft-router': {
    // the dmz must not reach into the lan: the forward chain's policy drop is what stops it
    setup: listenScript('pc1', 22),
    open: [],
    closed: [{ id: 'www-to-pc1', from: 'www', to: { address: '10.3.0.2', port: 22 } }],
  },
  'kube-cluster': { setup: '', open: [], closed: [] },
  'policy-router': { setup: '', open: [], closed: [] },
  'course-dnat': { setup: '', open: [], closed: [] },
};

/** Plain words for each path, as a user would report it. */
export const PATH_WORDS: Readonly<Record<string, string>> = {
  'internet-to-fox': "the internet reaching fox's web site through this host's port 80",
  'internet-to-bear': "the internet reaching bear's shop through this host's port 8000",
  'host-to-fox': "this host opening its own port 80 (fox's site)",
  'fox-to-internet': 'fox reaching the internet (198.51.100.10)',
  'bear-to-fox': "bear reaching fox's web server (192.168.202.11:80)",
  'internet-to-web': "the internet reaching the web container's port published on this host's 8080",
  'host-to-web': "this host opening its own published port 8080 (the web container)",
  'db-to-web': 'the db container reaching the web container (172.17.0.2:80)',
  'web-to-internet': 'the web container reaching the internet (198.51.100.10)',
  'db-to-internet': 'the db container reaching the internet (198.51.100.10)',
  'internet-to-db': "the internet reaching the db container's port 5432 directly",
  'pod-to-clusterip': 'pod-a reaching the web Service at its ClusterIP 10.96.0.10:80',
  'pod-to-pod': "pod-a reaching pod-b's web server (10.244.2.2:80) on the other node",
  'host-to-nodeport': 'this host reaching the web Service on node1\'s NodePort 10.0.0.11:30080',
  'pod-to-internet': 'pod-a reaching the internet (198.51.100.10)',
  'lan-to-server': 'the lan (10.1.0.2) reaching the server 198.18.0.10',
  'guest-to-server': 'the guest network (10.2.0.2) reaching the server 198.18.0.10',
  'guest-to-web': "the guest network reaching the server's web port 198.18.0.10:80",
  'pc-to-internet': 'pc1 on the lan reaching the internet (198.51.100.10)',
  'pc-to-www': 'pc1 reaching the dmz web server (10.4.0.2:80)',
  'internet-to-www': "the internet reaching the dmz web server through this host's port 8080",
  'www-to-pc1': "the dmz web server (www) opening pc1's port 22 on the lan",
};

export function pathWords(p: PathProbe): string {
  return PATH_WORDS[p.id] ?? `${p.from} reaching ${p.to.address}${p.to.port === undefined ? '' : `:${p.to.port}`}`;
}
