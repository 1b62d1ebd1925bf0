// What evaluating some checks needs besides the snapshot: the files to read and the probes to run.
import type { Check } from '../lesson/types.js';
import { sysctlName } from './other-checks.js';
import { probeKey, reachRequestOf, type ProbeRequest } from './probe-types.js';

/** Sysctls every snapshot carries (src/world/observe reads them for each namespace). */
export function isSnapshotSysctl(name: string): boolean {
  return /^net\.ipv4\.(ip_forward|conf\.[^.]+\.(rp_filter|forwarding))$|^net\.bridge\.bridge-nf-call-iptables$/.test(name);
}

export function filesNeeded(checks: readonly Check[]): string[] {
  return [...new Set(checks.flatMap((c) => (c.kind === 'file' ? [c.file] : [])))];
}

/** The namespaces whose sysctls, iptables rules or listening sockets the checks read: the only
 *  ones the snapshot must read beyond their links, addresses and routes (see takeSnapshot). */
export function namespacesReadInDepth(checks: readonly Check[]): string[] {
  const deep = checks.flatMap((c) => (c.kind === 'sysctl' || c.kind === 'rule' || c.kind === 'policy' || c.kind === 'listening' ? [c.in] : []));
  return [...new Set(deep)];
}

export function probesNeeded(checks: readonly Check[]): ProbeRequest[] {
  const requests = new Map<string, ProbeRequest>();
  for (const c of checks) {
    let req: ProbeRequest | undefined;
    if (c.kind === 'reach') req = reachRequestOf(c);
    else if (c.kind === 'shell') req = { kind: 'shell', script: c.shell };
    else if (c.kind === 'sysctl' && !isSnapshotSysctl(sysctlName(c.sysctl))) req = { kind: 'sysctl', in: c.in, name: sysctlName(c.sysctl) };
    if (req) requests.set(probeKey(req), req);
  }
  return [...requests.values()];
}

/** Whether any check reads the snapshot (reach and shell checks do not): a step of probes alone
 *  skips taking one. */
export function needsSnapshot(checks: readonly Check[]): boolean {
  return checks.some((c) => c.kind !== 'reach' && c.kind !== 'shell');
}
