// The system tools netns-tutor uses: which commands, required or optional, why, and the packages
// that provide them on Debian/Ubuntu and Fedora. Pure data.

export interface ToolSpec {
  id: string;
  label: string;
  /** Every one of these commands must be found. */
  commands: string[];
  required: boolean;
  why: string;
  debian: string[];
  fedora: string[];
}

export const TOOLS: readonly ToolSpec[] = [
  { id: 'iproute2', label: 'ip (iproute2)', commands: ['ip'], required: true, why: 'every lesson (namespaces, links, addresses, routes)', debian: ['iproute2'], fedora: ['iproute'] },
  { id: 'iptables', label: 'iptables', commands: ['iptables', 'iptables-save'], required: true, why: 'the NAT, port-forwarding and filtering lessons', debian: ['iptables'], fedora: ['iptables-nft'] },
  { id: 'nftables', label: 'nft (nftables)', commands: ['nft'], required: true, why: 'reading rules as the kernel holds them, and kube-proxy\'s nftables mode in lesson 9', debian: ['nftables'], fedora: ['nftables'] },
  { id: 'ping', label: 'ping (iputils)', commands: ['ping'], required: true, why: 'reachability, in lessons and checks', debian: ['iputils-ping'], fedora: ['iputils'] },
  { id: 'util-linux', label: 'unshare, nsenter (util-linux)', commands: ['unshare', 'nsenter', 'mount'], required: true, why: 'the sandbox itself', debian: ['util-linux', 'mount'], fedora: ['util-linux'] },
  { id: 'curl', label: 'curl', commands: ['curl'], required: true, why: 'HTTP through NAT and port forwards, in lessons and checks', debian: ['curl'], fedora: ['curl'] },
  { id: 'conntrack', label: 'conntrack', commands: ['conntrack'], required: true, why: 'seeing NAT at work in the connection table', debian: ['conntrack'], fedora: ['conntrack-tools'] },
  { id: 'python3', label: 'python3', commands: ['python3'], required: true, why: 'the small web servers lessons start (python3 -m http.server)', debian: ['python3'], fedora: ['python3'] },
  { id: 'tcpdump', label: 'tcpdump', commands: ['tcpdump'], required: false, why: 'watching packets on a link, if you want to', debian: ['tcpdump'], fedora: ['tcpdump'] },
  { id: 'jq', label: 'jq', commands: ['jq'], required: false, why: 'lesson 9 reads node JSON with it; the CNI lesson chains plugins with it', debian: ['jq'], fedora: ['jq'] },
  { id: 'dnsmasq', label: 'dnsmasq', commands: ['dnsmasq'], required: false, why: 'the cluster DNS server of the Service DNS lesson (standing in for CoreDNS)', debian: ['dnsmasq-base'], fedora: ['dnsmasq'] },
];

/** The CNI plugins the Kubernetes lessons can run by hand, and where distributions put them. */
export const CNI = {
  label: 'CNI plugins',
  plugins: ['bridge', 'host-local', 'portmap'],
  dirs: ['/usr/lib/cni', '/opt/cni/bin', '/usr/libexec/cni'],
  debian: ['containernetworking-plugins'],
  fedora: ['containernetworking-plugins'],
};

/** Kernel capabilities tried inside a throwaway sandbox. `modules`: what to load on the host when
 *  one fails (the sandbox cannot load kernel modules itself); `tool`: the command that tries it
 *  (when that command itself does not run, the kernel is not to blame). */
export const CAPABILITIES = [
  { id: 'netns', label: 'ip netns add (inside the sandbox)', required: true, modules: [], tool: 'ip' },
  { id: 'veth', label: 'veth pairs', required: true, modules: ['veth'], tool: 'ip' },
  { id: 'bridge', label: 'bridges', required: true, modules: ['bridge'], tool: 'ip' },
  { id: 'nft-nat', label: 'NAT with nf_tables', required: true, modules: ['nf_tables', 'nft_chain_nat', 'nft_masq'], tool: 'nft' },
  { id: 'iptables-nat', label: 'NAT with iptables', required: true, modules: ['nf_tables', 'nft_compat', 'xt_MASQUERADE'], tool: 'iptables' },
  { id: 'conntrack', label: 'the conntrack table', required: false, modules: ['nf_conntrack', 'nf_conntrack_netlink'], tool: 'conntrack' },
] as const;

/** The tools the sandbox itself needs to start (its init mounts, enters and sets up `lo`). */
export const SANDBOX_TOOLS: readonly string[] = ['util-linux', 'iproute2'];
