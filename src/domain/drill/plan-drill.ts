// A drill drawn from a seed: a base network from the fault catalogue, 1-3 of its fault kinds
// (each breaking a different path and a different element, so their inject scripts compose), and
// the connectivity matrix that grades it. Pure: the same seed and filters give the same drill.
import { BASE_NETWORKS, FAULT_KINDS } from '../faults/catalogue.js';
import { DRILL_EXTRAS } from '../faults/drill-matrix.js';
import type { BaseId, BaseNetwork, FaultKind, FaultLevel, FaultTopic, PathProbe } from '../faults/types.js';
import { seededRandom } from './seeded-random.js';

export interface DrillPlan {
  seed: number;
  base: BaseNetwork;
  faults: FaultKind[];
  /** Paths that must work at the end (the base's probes) and paths that must stay closed. */
  open: PathProbe[];
  closed: PathProbe[];
  /** Bash: the base's extra drill setup (listeners for the closed paths), then no faults. */
  extraSetup: string;
}

export interface DrillFilter {
  topic?: FaultTopic;
  level?: FaultLevel;
  /** Bases to draw from (drills leave out those too slow to build in a second). */
  bases?: readonly BaseId[];
}

export const DRILL_TOPICS: readonly FaultTopic[] = [...new Set(FAULT_KINDS.map((f) => f.topic))];

/** The fault kinds a drill may draw: of the topic, at or below the level. */
export function drillCandidates(filter: DrillFilter): FaultKind[] {
  return FAULT_KINDS.filter((f) => (filter.topic === undefined || f.topic === filter.topic) && (filter.level === undefined || f.level <= filter.level) && (filter.bases === undefined || filter.bases.includes(f.base)));
}

/** Undefined when no fault kind matches the filter. */
export function planDrill(seed: number, filter: DrillFilter = {}): DrillPlan | undefined {
  const rng = seededRandom(seed);
  const candidates = drillCandidates(filter);
  const first = rng.pick(candidates);
  if (!first) return undefined;
  const base = BASE_NETWORKS.find((b) => b.id === first.base)!;
  const wanted = 1 + rng.below(3);
  const faults = [first];
  // the rest from the same base (any topic at the level: a real outage is rarely one topic), each
  // on another path and another element than those drawn
  const others = FAULT_KINDS.filter((f) => f.base === base.id && (filter.level === undefined || f.level <= filter.level));
  while (faults.length < wanted) {
    const free = others.filter((f) => faults.every((g) => g.breaks !== f.breaks && g.element.mention !== f.element.mention));
    const next = rng.pick(free);
    if (!next) break;
    faults.push(next);
  }
  const extra = DRILL_EXTRAS[base.id];
  return { seed, base, faults, open: [...base.probes, ...extra.open], closed: extra.closed, extraSetup: extra.setup };
}
