// diagnose: probe the path, read the world, and judge (see src/domain/diagnose/). The I/O side.
import { AbortError } from '../../domain/errors.js';
import type { CommandRunner } from '../../world/exec/types.js';
import type { Diagnosis, Target } from '../../domain/diagnose/types.js';
import { judgeReachability } from '../../domain/diagnose/judge.js';
import { isIpv4 } from '../../domain/diagnose/ipv4.js';
import { isNamespaceName } from '../../domain/sandbox-layout.js';
import { takeSnapshot } from '../../world/observe/take-snapshot.js';
import { probePaths } from '../../world/probes/run-probes.js';
import { fillIngressDevices } from '../../world/probes/ingress-devices.js';

const READ_AFTER_MS = 100;

/** `ADDRESS[:PORT]` -> Target; a clear message for anything else. */
export function parseTarget(text: string): Target {
  const m = /^([^:]+)(?::(\d+))?$/.exec(text.trim());
  if (!m || !isIpv4(m[1]!)) throw new AbortError(`"${text}" is not an IPv4 address with an optional :PORT (e.g. 198.51.100.10 or 192.168.202.11:80).`);
  if (m[2] === undefined) return { address: m[1]! };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new AbortError(`port ${m[2]} is out of range (1-65535).`);
  return { address: m[1]!, port };
}

export interface DiagnoseOptions {
  /** Send a real probe (ping or TCP connect) from FROM. Default true. On a real machine the CLI
   *  only probes when asked (--probe) or for loopback: netns-tutor sends no traffic on its own
   *  beyond the namespaces it made. Without a probe, the verdict comes from the walk alone. */
  probe?: boolean;
}

export async function diagnose(runner: CommandRunner, from: string, to: Target, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  if (!isNamespaceName(from)) throw new AbortError(`"${from}" is not a namespace name.`);
  if (options.probe === false) {
    const snapshot = await takeSnapshot(runner, { conntrack: true, nft: true });
    await fillIngressDevices(runner, snapshot);
    assertNamespace(snapshot.namespaces.map((n) => n.name), from);
    const d = judgeReachability(snapshot, from, to);
    d.notes.push('No probe was sent (on a real machine diagnose reads state only; add --probe to also send one ping or TCP connect from FROM).');
    return d;
  }
  // Probe first, then read, so the evidence shows what the probe left (neighbour entries,
  // conntrack). A probe still waiting after READ_AFTER_MS has sent its packet and is only waiting
  // out its timeout: read meanwhile.
  // the caller decided whether to probe (the CLI on a real machine only when asked); the neighbour
  // entries a failed probe leaves are evidence the walk reads
  const probing = probePaths(runner, [{ from, to }], { outsideSandbox: 'allow', neighbours: 'keep' }).then(([result]) => result!);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([probing, new Promise((r) => (timer = setTimeout(r, READ_AFTER_MS)))]);
  clearTimeout(timer);
  const [probe, snapshot] = await Promise.all([probing, takeSnapshot(runner, { conntrack: true, nft: true })]);
  await fillIngressDevices(runner, snapshot);
  assertNamespace(snapshot.namespaces.map((n) => n.name), from);
  return judgeReachability(snapshot, from, to, probe);
}

function assertNamespace(names: readonly string[], from: string): void {
  if (!names.includes(from)) {
    throw new AbortError(`there is no namespace "${from}" here.`, `Namespaces in this world: ${names.join(', ')}.`);
  }
}
