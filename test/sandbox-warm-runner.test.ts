// The sandbox's run() goes through warm workers (bash already inside, one subshell per call): the
// results must be those of a fresh bash, whatever calls run at once, whatever the scripts leave
// running, and whatever ends a worker under its job.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { createPrefixedRunner } from '../src/world/exec/runner.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await createSandbox();
});
afterAll(() => sb.dispose());

/** Our own child processes that are stopped (state T): a worker must never leave one. */
function stoppedChildren(): string[] {
  const out: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === process.pid && state === 'T') out.push(`${name} ${stat.slice(0, 60)}`);
    } catch {
      // gone
    }
  }
  return out;
}

describe('warm workers', () => {
  it('run each call in a worker: its job files inside exist while it runs, and are swept', async () => {
    const r = await sb.run('ls /run/tutor/jobs');
    const mine = r.stdout.match(/^(\d+)\.\d+\.out$/m);
    expect(mine).not.toBeNull();
    // a worker sweeps its old files now and then (one rm every 32 jobs), so they do not pile up
    for (let i = 0; i < 40; i++) await sb.run('true');
    const after = await sb.run('ls /run/tutor/jobs');
    expect(after.stdout).not.toMatch(new RegExp(`^${mine![0]!.replace(/\./g, '\\.')}$`, 'm'));
    expect(after.stdout.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2 * 33 * 4);
  });

  it('bring output back byte for byte: NUL bytes, invalid UTF-8, no trailing newline, a line that looks like a frame', async () => {
    const r = await sb.run(`printf 'a\\0b\\0\\0c'; printf '\\036done 1 0\\n\\036o 5\\nxy' >&2`);
    expect(r.stdout).toBe('a\0b\0\0c');
    expect(r.stderr).toBe('\x1edone 1 0\n\x1eo 5\nxy');
    const bytes = await sb.run(`printf '\\303\\251\\377'`);
    expect(Buffer.from(bytes.stdout, 'utf8')).toEqual(Buffer.from('é\ufffd', 'utf8'));
    expect((await sb.run('echo "$LC_ALL"; printf %s "$(printf é)" | wc -m')).stdout).toBe(`${sb.env.LC_ALL ?? ''}\n1\n`);
  });

  it('give the results of a fresh bash -c: output, status, line numbers in messages, $0 and no arguments', async () => {
    const script = 'echo a\nreadlnk x\necho "$LINENO $0 $#"\nip link set nosuch up\n(exit 3)';
    const cold = createPrefixedRunner('cold', sb.enterPrefix, sb.env);
    const [c, w1, w2] = [await cold.run(script), await sb.run(script), await sb.run(script)];
    expect(w1).toMatchObject({ stdout: c.stdout, stderr: c.stderr, exitCode: 3, outcome: 'exited' });
    expect(w2).toMatchObject({ stdout: c.stdout, stderr: c.stderr, exitCode: 3 });
    expect(c.stderr).toContain('bash: line 2: readlnk: command not found');
    expect((await sb.run('exit 0')).exitCode).toBe(0);
    expect((await sb.run('echo $((1+')).exitCode).toBe(2);
  });

  it('keep nothing from one call to the next: variables, cwd, traps, set -e', async () => {
    await sb.run('X=1; cd /tmp; trap "echo trapped" EXIT; set -e; export Y=2');
    expect((await sb.run('echo "[$X][$Y]"; pwd; trap')).stdout).toBe('[][]\n/root\n');
  });

  it('pass env and keep quotes', async () => {
    expect((await sb.run('echo "$A|$B"', { env: { A: "it's", B: '$(echo no)' } })).stdout).toBe("it's|$(echo no)\n");
  });

  it('answer many calls at once, each with its own output', async () => {
    const calls = Array.from({ length: 16 }, (_, i) => sb.run(`sleep 0.0${i % 5}; echo out-${i}; echo err-${i} >&2; exit ${i}`));
    const results = await Promise.all(calls);
    results.forEach((r, i) => expect(r).toMatchObject({ stdout: `out-${i}\n`, stderr: `err-${i}\n`, exitCode: i, outcome: 'exited' }));
  });

  it('never mix what a background process writes into a later call', async () => {
    const start = await sb.run('(while :; do echo noise; echo noise >&2; sleep 0.005; done) & echo started');
    expect(start.stdout).toContain('started\n');
    for (let i = 0; i < 20; i++) expect(await sb.run(`echo ${i}`)).toMatchObject({ stdout: `${i}\n`, stderr: '' });
    await sb.run('pkill -f "while :; do echo noise" || true');
  });

  it('keep large output whole', async () => {
    const r = await sb.run('head -c 5000000 /dev/zero | tr "\\0" x; echo');
    expect(r.stdout.length).toBe(5_000_001);
  });

  it('on a timeout or a cancel: end the job and its children, leave no stopped process, and go on', async () => {
    const t = await sb.run('sleep 30 & sleep 31; echo never', { timeoutMs: 200 });
    expect(t).toMatchObject({ outcome: 'timed-out', exitCode: 137 });
    expect(t.stdout).toBe('');
    const controller = new AbortController();
    const running = sb.run('sleep 32', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await running).toMatchObject({ outcome: 'cancelled' });
    // the foreground sleeps are gone (the backgrounded one was the job's child too)
    expect((await sb.run('pgrep -x sleep -a || true')).stdout).not.toMatch(/sleep 3[12]/);
    expect(stoppedChildren()).toEqual([]);
    expect((await sb.run('echo after')).stdout).toBe('after\n');
  });

  it('survive a script that kills its own worker, or removes the job directory', async () => {
    const killed = await sb.run('kill -9 $$');
    expect(killed.exitCode).not.toBe(0);
    expect((await sb.run('echo next')).stdout).toBe('next\n');
    await sb.run('rm -rf /run/tutor/jobs');
    expect(await sb.run('echo still; exit 6')).toMatchObject({ stdout: 'still\n', exitCode: 6 });
    expect(stoppedChildren()).toEqual([]);
  });
});

it('dispose ends a sandbox whose worker is busy, and the call settles', async () => {
  const other = await createSandbox();
  // a duration no other process on the machine uses: the count below is of this test's sleep only
  const sleep = `sleep 60.${process.pid}${Date.now() % 100000}`;
  const running = other.run(sleep);
  await new Promise((r) => setTimeout(r, 100));
  await other.dispose();
  const r = await running;
  expect(r.outcome === 'exited' ? r.exitCode : 137).not.toBe(0);
  expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((args) => args.includes(sleep))).toEqual([]);
});

/** The PID and parent of the process in /proc/PID/stat, or undefined once it is reaped. */
function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Waits (bounded) until `pid` is reaped; says who reaped it: its own parent, or (orphaned
 *  first) whoever adopted it. The limit bounds a failing test only. */
async function reapedBy(pid: number, parent: number): Promise<'parent' | 'adopted' | 'alive'> {
  for (let i = 0; i < 200; i++) {
    const s = statOf(pid);
    if (!s) return 'parent';
    if (s.ppid !== parent) return 'adopted';
    await new Promise((r) => setTimeout(r, 25));
  }
  return 'alive';
}

it('ending a worker, a shell or a timed-out command leaves each bash to be reaped by its nsenter, never orphaned', async () => {
  // orphaned, a bash inside waits for the host's init to reap it, and the sandbox's PID namespace
  // cannot end before that (a second or more on some hosts)
  const other = await createSandbox();
  try {
    const bashesUnder = (nsenter: number) => readFileSync(`/proc/${nsenter}/task/${nsenter}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    const nsenters = () =>
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .map(Number)
        .filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(`nsenter\0-t\0${other.initPid}\0`));
    // a worker ended by a timeout
    await other.run('true');
    const [worker] = nsenters();
    const [workerBash] = bashesUnder(worker!);
    expect((await other.run('sleep 30', { timeoutMs: 100 })).outcome).toBe('timed-out');
    expect(await reapedBy(workerBash!, worker!)).toBe('parent');
    // a shell closed
    const shell = await other.openShell();
    const shellNsenter = nsenters().find((pid) => pid !== worker)!;
    const [shellBash] = bashesUnder(shellNsenter);
    shell.close();
    expect(await reapedBy(shellBash!, shellNsenter)).toBe('parent');
  } finally {
    await other.dispose();
  }
});
