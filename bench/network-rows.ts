// Benchmark rows for observing and judging the network: the snapshot, `map` on the Kubernetes
// lab, `diagnose` on a working and a broken path (in-process and as the CLI inside a sandbox).
// Loaded by bench/run.ts.
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { takeSnapshot } from '../src/world/observe/take-snapshot.js';
import { diagnose, parseTarget } from '../src/app/diagnose/diagnose.js';
import { BRIDGE_LAB, KUBERNETES_LAB } from '../test/diagnose-labs.js';
import { sample } from './stats.js';
import type { Row } from './rows.js';

async function withLab<T>(lab: string, fn: (sb: Sandbox) => Promise<T>): Promise<T> {
  const sb = await createSandbox();
  try {
    const r = await sb.run(lab, { timeoutMs: 20_000 });
    if (r.exitCode !== 0) throw new Error(`lab setup failed: ${r.stderr}`);
    return await fn(sb);
  } finally {
    await sb.dispose();
  }
}

const cli = (sb: Sandbox, args: string) => sb.run(`netns-tutor ${args} >/dev/null`).then(() => undefined);

export async function measure(N: (k: number) => number, log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  log('network: snapshot, map ...\n');
  await withLab(KUBERNETES_LAB, async (sb) => {
    await takeSnapshot(sb);
    const snap = await sample(N(40), () => takeSnapshot(sb).then(() => undefined));
    const floor = await sample(N(40), () => sb.run('true').then(() => undefined));
    rows.push({ figure: 'snapshot, Kubernetes lab (host + 4 netns + internet)', ours: snap, floor, floorLabel: 'run API: bash -c true', unit: 'ms', target: '< 30' });
    const map = await sample(N(20), () => cli(sb, 'map --width 100'));
    const node = await sample(N(20), () => sb.run('node -e 0').then(() => undefined));
    rows.push({ figure: 'netns-tutor map, Kubernetes lab (CLI in the sandbox)', ours: map, floor: node, floorLabel: 'node -e 0 in the sandbox', unit: 'ms', target: '<= 300' });
  });
  await withLab(BRIDGE_LAB, async (sb) => {
    await takeSnapshot(sb);
    rows.push({ figure: 'snapshot, bridge lab (host + 2 netns + internet)', ours: await sample(N(40), () => takeSnapshot(sb).then(() => undefined)), floorLabel: '', unit: 'ms', target: '< 30' });
    log('network: diagnose ...\n');
    const working = parseTarget('198.51.100.10');
    const ok = await sample(N(20), () => diagnose(sb, 'fox', working).then(() => undefined));
    const ping = await sample(N(20), () => sb.run('ip netns exec fox ping -c1 -W1 198.51.100.10 >/dev/null').then(() => undefined));
    rows.push({ figure: 'diagnose fox -> 198.51.100.10, working (in-process)', ours: ok, floor: ping, floorLabel: 'one ping from fox', unit: 'ms', target: '<= 500' });
    rows.push({ figure: 'diagnose, working (CLI in the sandbox)', ours: await sample(N(10), () => cli(sb, 'diagnose fox 198.51.100.10')), floorLabel: '', unit: 'ms', target: '<= 500' });
    await sb.run('sysctl -qw net.ipv4.ip_forward=0');
    const bad = await sample(N(10), () => diagnose(sb, 'fox', working).then(() => undefined));
    const timeout = await sample(N(10), () => sb.run('ip netns exec fox ping -c1 -W0.3 198.51.100.10 >/dev/null').then(() => undefined));
    rows.push({ figure: 'diagnose, broken: ip_forward off (in-process)', ours: bad, floor: timeout, floorLabel: 'the failing ping itself (0.3 s timeout)', unit: 'ms', target: '<= 500' });
    rows.push({ figure: 'diagnose, broken (CLI in the sandbox)', ours: await sample(N(10), () => cli(sb, 'diagnose fox 198.51.100.10')), floorLabel: '', unit: 'ms', target: '<= 500' });
  });
  return rows;
}
