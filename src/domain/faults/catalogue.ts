// The fault catalogue: every base network and every fault kind, and the (base, fault) cases a
// test or a drill draws from. One catalogue for diagnose and drills (drills add the randomness).
import { BASE_NETWORKS, baseNetwork } from './bases.js';
import { COURSE_FAULTS } from './course-faults.js';
import { DOCKER_FAULTS } from './docker-faults.js';
import { KUBE_FAULTS } from './kube-faults.js';
import { NFT_ROUTER_FAULTS, POLICY_ROUTER_FAULTS } from './router-faults.js';
import type { BaseId, BaseNetwork, FaultKind, FaultLevel, FaultTopic, PathProbe } from './types.js';

export { BASE_NETWORKS, baseNetwork };

export const FAULT_KINDS: readonly FaultKind[] = [...COURSE_FAULTS, ...DOCKER_FAULTS, ...KUBE_FAULTS, ...POLICY_ROUTER_FAULTS, ...NFT_ROUTER_FAULTS];

export interface FaultCase {
  base: BaseNetwork;
  fault: FaultKind;
  probe: PathProbe;
}

export function probeOf(base: BaseNetwork, id: string): PathProbe {
  const probe = base.probes.find((p) => p.id === id);
  if (!probe) throw new Error(`base ${base.id} has no probe "${id}"`);
  return probe;
}

/** The cases, optionally narrowed (by base, topic, the highest level): each fault with its base
 *  and the probe it breaks. */
export function faultCases(filter: { base?: BaseId; topics?: readonly FaultTopic[]; maxLevel?: FaultLevel } = {}): FaultCase[] {
  return FAULT_KINDS.filter((f) => (filter.base === undefined || f.base === filter.base) && (filter.topics === undefined || filter.topics.includes(f.topic)) && (filter.maxLevel === undefined || f.level <= filter.maxLevel)).map((fault) => {
    const base = baseNetwork(fault.base);
    return { base, fault, probe: probeOf(base, fault.breaks) };
  });
}

/** Does a diagnosis's text name the fault's element? (namespace, and the mention without case) */
export function namesElement(fault: FaultKind, found: { namespace: string; text: string }): boolean {
  return found.namespace === fault.element.namespace && found.text.toLowerCase().includes(fault.element.mention.toLowerCase());
}
