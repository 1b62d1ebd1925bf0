// The typed firewall rule: what one iptables rule (or a native nft rule, where it fits) matches and
// what it does, read once by the observer's parsers so that checks, the diagnoser and the map never
// re-read iptables' words. Plain data (JSON in, JSON out).

/** An inclusive port range; a single port has from === to. */
export interface PortRange {
  from: number;
  to: number;
}

/** A mark with the bits it looks at (mask 0xffffffff when none was given). */
export interface MarkValue {
  value: number;
  mask: number;
}

/** One test of a rule. `negated` is iptables' `!` before it (nft's `!=`). */
export type RuleMatch =
  /** -s / -d: a CIDR as iptables-save prints it ('10.244.0.0/16', '172.17.0.2/32'). */
  | { kind: 'source' | 'destination'; cidr: string; negated: boolean }
  /** -i / -o: a device name; a trailing '+' is iptables' wildcard ('veth+'). */
  | { kind: 'in-interface' | 'out-interface'; name: string; negated: boolean }
  /** -p: 'tcp', 'udp', 'icmp', 'all' or a number, lower-cased as written. */
  | { kind: 'protocol'; protocol: string; negated: boolean }
  /** --sport/--dport (tcp, udp) or --sports/--dports (multiport): any of the ranges. */
  | { kind: 'source-port' | 'destination-port'; ports: PortRange[]; multiport: boolean; negated: boolean }
  /** -m icmp --icmp-type: the type as written ('echo-request', '8', '8/0', 'any'). */
  | { kind: 'icmp-type'; type: string; negated: boolean }
  /** -m mark --mark value/mask: the packet's mark ANDed with mask equals value. */
  | { kind: 'mark'; mark: MarkValue; negated: boolean }
  /** -m conntrack --ctstate / -m state --state: any of the states ('NEW', 'ESTABLISHED', ...). */
  | { kind: 'conntrack-state'; states: string[]; negated: boolean }
  /** -m addrtype --src-type / --dst-type: any of the types ('LOCAL', 'UNICAST', ...); with
   *  --limit-iface-in/out only addresses of that interface count. */
  | { kind: 'address-type'; direction: 'source' | 'destination'; types: string[]; limitIface?: 'in' | 'out'; negated: boolean }
  /** -m statistic: the rule applies to some packets only (random with a probability, or nth). */
  | { kind: 'statistic'; mode: 'random' | 'nth'; probability?: number; every?: number; packet?: number; negated: boolean }
  /** -m comment: matches every packet; the text is for people (kube-proxy names services in it). */
  | { kind: 'comment'; text: string; negated: false }
  /** -m physdev: the bridge port a bridged packet came in or goes out on, or whether it is bridged. */
  | { kind: 'physdev'; test: 'in' | 'out' | 'is-in' | 'is-out' | 'is-bridged'; name?: string; negated: boolean }
  /** Anything else (limit, set, connmark, tcp flags, string...): kept with its words, so a reader
   *  can say "I cannot judge this rule" rather than guess. */
  | { kind: 'unknown'; module?: string; words: string[]; negated: boolean };

export type RuleMatchKind = RuleMatch['kind'];

/** Where NAT sends a packet: `--to-destination 10.0.0.1-10.0.0.3:80-90` (each part optional). */
export interface NatTo {
  address?: string;
  /** The last address of a range. */
  addressEnd?: string;
  port?: number;
  /** The last port of a range. */
  portEnd?: number;
}

/** What a rule does when every match holds. `name` is the target as iptables spells it ('DNAT',
 *  'KUBE-SVC-WEB'); `options` its words after the name, as printed (for messages and fixes). */
export type RuleTarget = { name: string; options: string[] } & (
  | { kind: 'accept' | 'drop' | 'return' | 'notrack' }
  | { kind: 'reject'; rejectWith?: string }
  | { kind: 'dnat' | 'snat'; to?: NatTo }
  | { kind: 'masquerade' | 'redirect'; toPorts?: PortRange }
  /** -j MARK: the new mark is (mark AND NOT mask) XOR value (--set-xmark; iptables-save prints every
   *  MARK form this way, --or-mark and --and-mark too). */
  | { kind: 'mark'; xmark: MarkValue }
  /** -j CT: --notrack takes the packet out of conntrack like NOTRACK; other CT options do not. */
  | { kind: 'ct'; notrack: boolean }
  | { kind: 'log'; prefix?: string }
  /** -j CHAIN (or -g CHAIN: goto, no coming back): a user-defined chain of the same table. */
  | { kind: 'jump'; chain: string; goto: boolean }
  /** Any other extension target (TCPMSS, CONNMARK, NFLOG, ...): the packet goes on. */
  | { kind: 'other' }
);

export type RuleTargetKind = RuleTarget['kind'];

/** A rule read into its matches (all must hold) and its target (absent: it only counts). */
export interface ParsedRule {
  matches: RuleMatch[];
  target?: RuleTarget;
}
