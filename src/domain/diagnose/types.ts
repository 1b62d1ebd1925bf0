// What a diagnosis says: the verdict, the path walked (there and back), and the first hop that
// cannot pass with its evidence and fix. Plain data (`diagnose --json` prints it).

import type { ProbeResult } from '../checks/probe-types.js';

export type Verdict = 'reachable' | 'unreachable' | 'unknown';

export interface Target {
  address: string;
  /** TCP port; absent means ICMP echo. */
  port?: number;
}

export interface Evidence {
  /** The command that shows it (read-only). */
  command: string;
  /** The line of state that shows it, as that command prints it. */
  line: string;
}

export interface Fault {
  /** A short stable name for the kind of fault ('link-down', 'no-route', 'ip-forward-off', ...). */
  kind: string;
  /** The namespace where the packet stops. */
  namespace: string;
  /** One sentence: what is wrong. */
  what: string;
  evidence: Evidence[];
  /** The command(s) that fix it, in order. */
  fix: string[];
}

export interface Hop {
  namespace: string;
  /** Interface the packet came in by (absent where it starts). */
  in?: string;
  /** Interface it leaves by, and the next hop's address on that link. */
  out?: string;
  via?: string;
  /** What happened here in words: 'routed', 'bridged by vnet-animals', 'delivered locally'. */
  action: string;
  /** NAT applied here: 'MASQUERADE 192.168.202.11 -> 203.0.113.2'. */
  nat?: string;
}

export interface Diagnosis {
  from: string;
  to: Target;
  verdict: Verdict;
  /** The probe sent from `from` (the same stack and result type as the checks'). */
  probe?: ProbeResult;
  /** Hops there, then back (direction marks which). */
  path: Array<Hop & { direction: 'there' | 'back' }>;
  fault?: Fault;
  /** Things the walk could not judge (rules with unknown matches, unseen namespaces...). */
  notes: string[];
}
