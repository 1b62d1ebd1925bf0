// `npm run bench`: every number that matters, each beside the floor the machine sets for it,
// measured in the same run. `npm run bench -- --json` prints the same as data.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createSandbox } from '../src/world/sandbox/sandbox.js';
import { createArgv, enterArgv } from '../src/world/sandbox/argv.js';
import { plainBashRoundTrip, timeSpawn } from './floors.js';
import { renderTable, type Row } from './rows.js';
import { sample, summarise } from './stats.js';
import { measureFirstFrame } from './tty.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
// `--only course,tutor`: just those groups (sandbox, cli, course, network, practice, tutor)
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : undefined;
const wanted = (group: string) => !only || only.has(group);
const N = (n: number) => (quick ? Math.max(3, Math.round(n / 5)) : n);
const rows: Row[] = [];
const log = (s: string) => {
  if (!json) process.stderr.write(s);
};

async function tryImport<T>(path: string): Promise<T | undefined> {
  const file = new URL(path, import.meta.url);
  if (!existsSync(file.pathname.replace(/\.js$/, '.ts')) && !existsSync(file.pathname)) return undefined;
  return (await import(file.href)) as T;
}

async function sandboxRows(): Promise<void> {
  log('sandbox ...\n');
  const create = await sample(N(20), async () => {
    const t = performance.now();
    const sb = await createSandbox();
    const ms = performance.now() - t;
    await sb.dispose();
    return ms;
  });
  const rawUnshare = await sample(N(20), () => timeSpawn(createArgv('userns', ['true'])));
  rows.push({ figure: 'sandbox create -> ready (with the simulated internet)', ours: create, floor: rawUnshare, floorLabel: 'raw unshare ... true', unit: 'ms', target: '<= 100' });

  const sb = await createSandbox();
  try {
    await sb.exec(['true']);
    const run = await sample(N(50), () => sb.exec(['true']).then(() => undefined));
    const rawNsenter = await sample(N(50), () => timeSpawn([...enterArgv(sb.mode, sb.initPid), 'true']));
    rows.push({ figure: 'command round trip, run API: exec([true])', ours: run, floor: rawNsenter, floorLabel: 'raw nsenter ... true', unit: 'ms', target: '<= 15' });
    await sb.run('true');
    const warm = await sample(N(50), () => sb.run('true').then(() => undefined));
    rows.push({
      figure: "command round trip, run API: run('true')",
      ours: warm,
      floor: rawNsenter,
      floorLabel: 'raw nsenter ... true',
      unit: 'ms',
      target: '<= 15',
      note: 'run() goes through a bash already inside the sandbox (a subshell per call, output in files of its own: src/world/sandbox/warm-runner.ts); exec() enters with nsenter each time. Every check evaluation makes two run() calls.',
    });

    const shell = await sb.openShell();
    await shell.run('true');
    const viaShell = await sample(N(200), () => shell.run('true').then(() => undefined));
    const plain = summarise(await plainBashRoundTrip(N(200)));
    rows.push({ figure: 'command round trip, persistent shell', ours: viaShell, floor: plain, floorLabel: 'plain bash coprocess', unit: 'ms', target: '<= 5' });
    shell.close();
  } finally {
    await sb.dispose();
  }
}

async function tutorRows(): Promise<void> {
  log('tutor launch ...\n');
  const frame = await measureFirstFrame(N(10));
  if (frame) rows.push(...frame);
}

const extraRowModules = [
  { group: 'cli', path: './cli-rows.js' },
  { group: 'course', path: './course-rows.js' },
  { group: 'network', path: './network-rows.js' },
  { group: 'practice', path: './practice-rows.js' },
];

/** The machine the numbers come from: shared machines make every row slower together. */
function describeMachine(loadBefore: number[]): string {
  const f = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  return `${availableParallelism()} CPUs; load average ${f(loadBefore)} at the start, ${f(loadavg())} at the end`;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  if (wanted('sandbox')) await sandboxRows();
  for (const { group, path: m } of extraRowModules) {
    if (!wanted(group)) continue;
    const mod = await tryImport<{ measure(n: (k: number) => number, log: (s: string) => void): Promise<Row[]> }>(m);
    if (!mod) continue;
    try {
      rows.push(...(await mod.measure(N, log)));
    } catch (e) {
      // one broken group must not hide the others' numbers
      log(`${group}: ${(e as Error).stack ?? String(e)}\n`);
      rows.push({ figure: `${group} rows`, floorLabel: '', unit: 'ms', note: `not measured: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  if (wanted('tutor')) await tutorRows();
  const machine = describeMachine(loadBefore);
  if (json) {
    const withRatio = rows.map((r) => (r.ours && r.floor ? { ...r, ratio: r.ours.median / r.floor.median } : r));
    process.stdout.write(`${JSON.stringify({ rows: withRatio, quick, machine }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${renderTable(rows)}\n${machine}${quick ? ' (--quick: fewer repetitions)' : ''}\n`);
}

await main();
