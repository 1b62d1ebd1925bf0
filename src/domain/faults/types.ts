// The fault catalogue's vocabulary: base networks (a working world and the paths that must work
// in it) and fault kinds (a script that breaks one element and the path it breaks). Plain data,
// shared by the diagnoser's tests and, later, the drills (which own their own seeded randomness).
import type { Target } from '../diagnose/types.js';

export type BaseId = 'course-dnat' | 'docker-host' | 'kube-cluster' | 'policy-router' | 'nft-router';

export type FaultTopic = 'link' | 'bridge' | 'addressing' | 'routing' | 'policy-routing' | 'neighbour' | 'forwarding' | 'firewall' | 'nat' | 'dnat' | 'nftables' | 'docker' | 'kubernetes';

/** 1: one visible thing is off (a link down); 2: needs a table read (a rule, a route);
 *  3: needs the chain of rules followed (a jump, a mark, a table chosen by a rule). */
export type FaultLevel = 1 | 2 | 3;

/** A path that works on the healthy base: a ping (no port) or a TCP connect from a namespace
 *  ('host' is the sandbox's own namespace, 'internet' the simulated upstream). */
export interface PathProbe {
  id: string;
  from: string;
  to: Target;
}

/** How a base is built: a bash script, or the end state of a course lesson (replayed from the
 *  course itself) followed by an optional script. */
export type BaseSetup = { kind: 'script'; script: string } | { kind: 'course-end'; lesson: string; then?: string };

export interface BaseNetwork {
  id: BaseId;
  title: string;
  setup: BaseSetup;
  probes: PathProbe[];
}

/** What a correct diagnosis must name: the namespace it is in, and a word of its description or
 *  evidence (an interface, a chain, an address, a route), compared without case. */
export interface FaultElement {
  namespace: string;
  mention: string;
}

export interface FaultKind {
  /** Stable, kebab-case, unique in the catalogue ('docker-user-drop'). */
  id: string;
  title: string;
  topic: FaultTopic;
  level: FaultLevel;
  base: BaseId;
  /** Bash, run in the sandbox's root namespace after the base is built. */
  inject: string;
  element: FaultElement;
  /** The id of the base's probe this fault must break. */
  breaks: string;
}
