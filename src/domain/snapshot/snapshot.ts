// The snapshot: everything netns-tutor knows about a network world, read once from the kernel's
// machine-readable output (world/observe runs the commands, domain/snapshot parses them). Checks,
// the diagnoser and the map are pure functions of it. Plain data: it serialises to JSON and back
// unchanged (tests record and replay it).
import type { RuleMatch, RuleTarget } from './rule-model.js';

export type NamespaceKind = 'host' | 'named' | 'upstream';

export interface Snapshot {
  /** 'sandbox' when read inside a netns-tutor sandbox, 'host' on a real machine (read-only). */
  world: 'sandbox' | 'host';
  /** The host (the sandbox's own root namespace) first, then `ip netns list` order, then the
   *  upstream "internet" side when present. */
  namespaces: NamespaceState[];
  /** Files read by request (absolute path -> content, or null when absent). */
  files: Record<string, string | null>;
  /** Named namespaces that exist but were left out: a snapshot reads a bounded number of them
   *  (besides those asked for in depth). Absent when all were read. */
  unreadNamespaces?: number;
}

export interface NamespaceState {
  /** 'host', a name from `ip netns list`, or 'internet' for the upstream side. */
  name: string;
  kind: NamespaceKind;
  links: Link[];
  addresses: Address[];
  /** The main routing table. */
  routes: Route[];
  /** `ip rule show` (IPv4), in priority order; undefined when not read (older recordings): the walk
   *  then consults the main table alone. */
  rules?: RoutingRule[];
  /** IPv4 routes of the tables other than main and local (`ip route show table all`), each with its
   *  `table`; undefined when not read. */
  tableRoutes?: Route[];
  neighbours: Neighbour[];
  /** Selected sysctls by dotted name: net.ipv4.ip_forward, net.ipv4.conf.{all,default,IF}.rp_filter,
   *  net.ipv4.conf.{all,default,IF}.forwarding, net.ipv4.conf.{all,default,IF}.proxy_arp,
   *  net.ipv4.icmp_echo_ignore_all,
   *  net.bridge.bridge-nf-call-iptables (absent when
   *  the bridge module is not loaded). An interface name with a dot is spelt with '/', as sysctl does. */
  sysctls: Record<string, string>;
  /** iptables-save, parsed; undefined when iptables could not be read. */
  iptables?: IptablesState;
  /** `nft -j list ruleset`, parsed coarsely, when asked for (takeSnapshot's `nft` option);
   *  undefined when not asked, nft is not installed or could not read. Holds every table, also those iptables-nft made (the walk skips the chains that
   *  iptables-save already showed). */
  nftables?: NftState;
  /** conntrack -L entries, when asked for (takeSnapshot's `conntrack` option) and conntrack is
   *  installed; [] when tracking has not started in the namespace. */
  conntrack?: ConntrackEntry[];
  /** Listening TCP sockets (ss -ltn): address and port. */
  listening: Array<{ address: string; port: number }>;
  /** Set when the namespace could not be entered (e.g. unprivileged on a real host): why. Its
   *  lists are then empty, not "nothing there". */
  error?: string;
}

export type OperState = 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' | 'DORMANT' | 'NOTPRESENT' | 'TESTING';

export interface Link {
  name: string;
  ifindex: number;
  /** 'loopback', 'veth', 'bridge', 'dummy', 'vxlan', ... ; 'device' for a plain device. */
  type: string;
  /** IFF_UP: the administrator set it up. */
  adminUp: boolean;
  /** The kernel's operational state (UNKNOWN is normal for lo and dummy). */
  operState: OperState;
  /** Carrier: the link can pass packets (NO-CARRIER absent). */
  lowerUp: boolean;
  flags: string[];
  mtu: number;
  mac?: string;
  /** The bridge (or bond) this link is a port of. */
  master?: string;
  /** For a veth: its peer, resolved to a namespace name and link name where possible. */
  peer?: { namespace?: string; name?: string; ifindex: number };
  /** For a bridge port: STP state ('forwarding', 'disabled', 'blocking', 'listening', 'learning'). */
  portState?: string;
  hairpin?: boolean;
}

export interface Address {
  dev: string;
  family: 'inet' | 'inet6';
  address: string;
  prefixlen: number;
  scope: string;
}

export interface Route {
  /** 'default' or a CIDR ('192.168.202.0/24'); host routes as '10.0.0.1/32'. */
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  /** 'unicast', 'blackhole', 'unreachable', 'prohibit', ... */
  type: string;
  prefsrc?: string;
  metric?: number;
  /** The routing table, for routes outside main ('100', 'default', ...); absent in main. */
  table?: string;
}

/** One policy routing rule, as `ip -j rule show` gives it. */
export interface RoutingRule {
  priority: number;
  /** `not`: the selector is inverted. */
  not?: boolean;
  /** Source and destination selectors as ip prints them ('10.0.0.0/8', '192.168.202.11'); absent: all. */
  from?: string;
  to?: string;
  iif?: string;
  /** The iif device does not exist: the rule matches nothing. */
  iifDetached?: boolean;
  oif?: string;
  /** '0x10' or '0x10/0xff'. */
  fwmark?: string;
  ipproto?: string;
  /** A port or a range ('80', '1000-2000'). */
  sport?: string;
  dport?: string;
  /** Other selectors, in ip's words ('tos 0x10', 'uidrange 0-0', 'l3mdev'). */
  other?: string[];
  /** 'lookup' (a table), 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit', or another action. */
  action: string;
  table?: string;
  /** goto: the priority it jumps to. */
  goto?: number;
  suppressPrefixlength?: number;
  /** The rule after its `N:`, as `ip rule show` prints it: 'from 192.168.202.11 prohibit'. */
  spec: string;
}

export interface Neighbour {
  address: string;
  dev: string;
  lladdr?: string;
  /** e.g. ['REACHABLE'], ['INCOMPLETE'], ['FAILED'], ['STALE']. */
  state: string[];
}

export interface IptablesState {
  /** 'nf_tables' or 'legacy' (from iptables --version). */
  backend: string;
  tables: Record<string, IptablesTable>;
}

export interface IptablesTable {
  /** Built-in chains have a policy; user chains have '-'. */
  chains: Record<string, { policy: string }>;
  rules: IptablesRule[];
}

export interface IptablesRule {
  table: string;
  chain: string;
  /** The rule's words after `-A CHAIN`, as iptables-save prints them (already normalised): for
   *  a lesson's `match:` words and evidence; everything else reads `matches` and `target`. */
  args: string[];
  /** The line as printed, for evidence in messages. */
  text: string;
  /** What it tests (all must hold), read once by the parser (parse-rule.ts). */
  matches: RuleMatch[];
  /** What it does (absent: it only counts). */
  target?: RuleTarget;
}

export interface ConntrackEntry {
  protocol: string;
  /** The original direction and the reply direction, as conntrack prints them. */
  original: { src: string; dst: string; sport?: number; dport?: number };
  reply: { src: string; dst: string; sport?: number; dport?: number };
  flags: string[];
  text: string;
}

export interface NftState {
  chains: NftChain[];
  /** In the order nft lists them (within a chain: evaluation order). */
  rules: NftRule[];
}

export interface NftChain {
  family: string;
  table: string;
  name: string;
  /** Base chains only: 'filter', 'nat', 'route'; the hook; the priority as a number; the policy. */
  type?: string;
  hook?: string;
  priority?: number;
  policy?: string;
  /** netdev (and inet) ingress chains: the device they hook on. */
  device?: string;
}

export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle: number;
  /** The rule's tests, in order (all must hold). */
  matches: NftMatch[];
  /** What it does when they hold: 'accept', 'drop', 'reject', 'return', 'jump', 'goto', 'continue',
   *  'queue', or a NAT: 'masquerade', 'snat', 'dnat', 'redirect'. Absent: it only counts, logs... */
  action?: string;
  /** jump/goto: the chain. */
  target?: string;
  /** snat/dnat/redirect: where to. */
  to?: { address?: string; port?: number };
  /** The rule in nft's words (as near as the parser can say them), for evidence. */
  text: string;
}

export interface NftMatch {
  /** What is tested, in nft's words: 'iifname', 'oifname', 'ip saddr', 'ip daddr', 'meta l4proto',
   *  'ip protocol', 'tcp dport', 'th dport', 'ct state', 'icmp type', 'meta mark', ... */
  key: string;
  /** '==' (also nft's 'in' for flags) or '!='; other operators are kept as they are. */
  op: string;
  /** Alternatives, as text: an address, a CIDR ('10.0.0.0/8'), a range ('1000-2000'), a name, a
   *  number; a named set's elements when they could be read, else '@name'. Empty when the right
   *  side was not understood. */
  values: string[];
}
