// Benchmark rows for the commands without a screen (`--version`, `lessons`, `check`), each beside
// `node -e 0`, and the two-host lab built and pinged through `netns-tutor shell -c`, beside the same
// script in plain bash in `unshare` (with the sandbox's world, and bare). Samples are interleaved (ours, floor, ours, ...) so a
// busy moment of the shared machine falls on both. Loaded by bench/run.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createArgv } from '../src/world/sandbox/argv.js';
import { defaultMode } from '../src/world/sandbox/sandbox.js';
import type { Row } from './rows.js';
import { summarise, type Sample } from './stats.js';
import { timePlainReplay } from './course-rows.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/netns-tutor.js');

/** Runs argv to its end; its time in ms, or an error naming what it said when it failed. */
function timeRun(argv: readonly string[], env: NodeJS.ProcessEnv, okCodes: readonly number[] = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t;
      if (okCodes.includes(code ?? -1)) resolve(ms);
      else reject(new Error(`${argv.slice(0, 4).join(' ')} exited ${code}: ${stderr.trim().slice(-300)}`));
    });
  });
}

/** n rounds of each job in turn; a Sample per job. */
async function interleaved(n: number, jobs: ReadonlyArray<() => Promise<number>>): Promise<Sample[]> {
  const times: number[][] = jobs.map(() => []);
  for (let i = 0; i < n; i++) for (const [j, job] of jobs.entries()) times[j]!.push(await job());
  return times.map((t) => summarise(t));
}

/** Mininet's "two hosts, one link, ping both ways" done by hand: two namespaces, a veth pair,
 *  addresses, links up, one ping each way. */
export const TWO_HOST_LAB = [
  'set -e',
  'ip netns add h1',
  'ip netns add h2',
  'ip link add h1-eth0 netns h1 type veth peer name h2-eth0 netns h2',
  'ip -n h1 addr add 10.0.0.1/24 dev h1-eth0',
  'ip -n h2 addr add 10.0.0.2/24 dev h2-eth0',
  'ip -n h1 link set h1-eth0 up',
  'ip -n h2 link set h2-eth0 up',
  'ip netns exec h1 ping -c1 -W1 10.0.0.2 >/dev/null',
  'ip netns exec h2 ping -c1 -W1 10.0.0.1 >/dev/null',
].join('\n');

/** The floor's bash, as the init of a raw `unshare`: a private /run for `ip netns`, then the lab. */
const PLAIN_LAB = `mount -t tmpfs tutor-bench /run && ${TWO_HOST_LAB.replace(/\n/g, ' && ').replace('set -e && ', '')}`;

export async function measure(N: (k: number) => number, log: (s: string) => void): Promise<Row[]> {
  log('cli: --version, lessons, check; the two-host lab through shell -c ...\n');
  const home = mkdtempSync(join(tmpdir(), 'netns-tutor-bench-cli-'));
  // a learner's own cache and progress: the first `lessons` fills the cache, as the first run would
  const env = { ...process.env, XDG_CACHE_HOME: join(home, 'cache'), XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), NO_COLOR: '1' };
  try {
    const node = () => timeRun([process.execPath, '-e', '0'], env);
    const ours = (...args: string[]) => () => timeRun([process.execPath, cli, ...args], env, [0, 1]);
    await ours('lessons')();
    const [version, lessons, check, floor] = await interleaved(N(20), [ours('--version'), ours('lessons'), ours('check', '1', '1', '--json'), node]);
    const row = (figure: string, s: Sample | undefined, note: string): Row => ({ figure, ours: s!, floor: floor!, floorLabel: 'node -e 0', unit: 'ms', target: '<= 1.3x floor', note });
    const rows: Row[] = [
      row('netns-tutor --version', version, 'answered in src/cli/main.ts before the command-line parser loads.'),
      row('netns-tutor lessons (the course list)', lessons, 'the course from the parsed-course cache (warm: filled by one run before); the lesson parser (YAML, zod) loads only on a miss.'),
      row('netns-tutor check 1 1 --json (on this host, read-only)', check, "the step's checks against this host: the course from the cache, a snapshot of the host (ip, iptables-save, ss), no probes outside a sandbox."),
    ];

    const mode = defaultMode();
    const shellC = () => timeRun([process.execPath, cli, 'shell', '-c', TWO_HOST_LAB], env);
    // the floor as the course rows define it: plain bash building the sandbox's world (private
    // /run, /etc, /root, lo, the simulated internet and its web server), then the same script
    const plainWorld = () => timePlainReplay([{ lessonId: 'bench', kind: 'setup', script: TWO_HOST_LAB }]);
    const plainBare = () => timeRun(createArgv(mode, ['bash', '-c', PLAIN_LAB]), env);
    const [lab, labFloor, bare] = await interleaved(N(10), [shellC, plainWorld, plainBare]);
    rows.push({
      figure: 'two-host lab + a ping each way, via netns-tutor shell -c',
      ours: lab!,
      floor: labFloor!,
      floorLabel: "plain bash in unshare, the sandbox's world",
      unit: 'ms',
      target: '<= 1.5x floor',
      note:
        "two namespaces, a veth pair, addresses, a ping each way (Mininet's two-host pingall done by hand), the CLI from launch to exit: node, a fresh sandbox with its simulated internet, the script, teardown. " +
        `Floor: plain bash as the init of \`unshare\`, building the same world as the sandbox's init, then the same script; bare \`unshare\` + the script alone (a tmpfs /run for ip netns, no world, no node): median ${bare!.median.toFixed(0)} ms. ` +
        'Mininet is not installed here; round one measured `mn --topo single,2 --test pingall` at 0.39 s on this machine class (issue 16).',
    });
    return rows;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
