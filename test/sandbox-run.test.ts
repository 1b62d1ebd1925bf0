// The run API inside a real sandbox: results, input, timeout and cancel that kill the command
// inside, commands that leave a background process, and background servers dying with the sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { pidNamespaceOf, processesIn, waitUntilEmpty } from './helpers/sandbox-procs.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await createSandbox();
});
afterAll(() => sb.dispose());

/** Waits (bounded) until `pattern` names a running process inside the sandbox. */
async function waitForProcess(pattern: string): Promise<void> {
  const r = await sb.run(`for i in $(seq 200); do pgrep -f '${pattern}' >/dev/null && exit 0; sleep 0.025; done; exit 1`);
  expect(r.exitCode).toBe(0);
}

/** Live (not zombie: a killed child may wait a moment to be reaped) processes named `name` inside. */
async function live(name: string): Promise<string> {
  return (await sb.run(`ps -eo stat=,pid=,args= | awk '$1 !~ /^Z/ && $3 == "${name}"'`)).stdout;
}

describe('run and exec', () => {
  it('return stdout, stderr and the exit code, never throwing for a failing command', async () => {
    expect(await sb.run('echo out; echo err >&2; exit 4')).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 4, outcome: 'exited' });
    expect(await sb.exec(['ip', 'link', 'show', 'nosuchlink'])).toMatchObject({ exitCode: 1, stderr: 'Device "nosuchlink" does not exist.\n' });
    expect(await sb.exec(['no-such-command-here'])).toMatchObject({ exitCode: 127 });
  });

  it('feed input on stdin, and stdin is empty otherwise', async () => {
    expect((await sb.exec(['tr', 'a-z', 'A-Z'], { input: 'fox\n' })).stdout).toBe('FOX\n');
    expect((await sb.run('cat; echo done')).stdout).toBe('done\n');
  });

  it('run inside the sandbox, as root there, with the sandbox environment', async () => {
    const r = await sb.run('id -u; echo "$NETNS_TUTOR_SANDBOX"; command -v netns-tutor; hostname');
    expect(r.stdout).toBe(`0\n${sb.id}\n/run/tutor/bin/netns-tutor\nsandbox\n`);
  });

  it('return when the command exits, even if a background process it started holds the pipes', async () => {
    const r = await sb.run('sleep 1000 & echo started');
    expect(r).toMatchObject({ stdout: 'started\n', exitCode: 0, outcome: 'exited' });
    await sb.run('pkill -x sleep');
  });
});

describe('timeout and cancel', () => {
  it('a timeout kills the command inside the sandbox, children included', async () => {
    const r = await sb.run('sh -c "sleep 1001" & sleep 1002', { timeoutMs: 300 });
    expect(r.outcome).toBe('timed-out');
    expect(r.exitCode).toBe(137);
    expect(await live('sleep')).toBe('');
  });

  it('cancel kills the command inside the sandbox', async () => {
    const controller = new AbortController();
    const running = sb.run('ping 203.0.113.1 >/dev/null', { signal: controller.signal });
    await waitForProcess('ping 203.0.113.1');
    controller.abort();
    const r = await running;
    expect(r.outcome).toBe('cancelled');
    expect(await live('ping')).toBe('');
  });

  it('an already aborted signal never runs the command', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await sb.run('touch /root/ran', { signal: controller.signal });
    expect(r).toMatchObject({ outcome: 'cancelled', exitCode: -1 });
    expect((await sb.run('test -e /root/ran')).exitCode).toBe(1);
  });
});

describe('background servers', () => {
  it('a web server started with & (in the shell or with run) dies with the sandbox', async () => {
    const own = await createSandbox();
    const pidns = pidNamespaceOf(own.initPid)!;
    const shell = await own.openShell();
    await shell.run('python3 -m http.server 8080 >/dev/null 2>&1 &');
    await own.run('sleep 1000 >/dev/null 2>&1 &');
    const listening = await own.run('for i in $(seq 200); do curl -s -o /dev/null 127.0.0.1:8080 && exit 0; sleep 0.025; done; exit 1');
    expect(listening.exitCode).toBe(0);
    const servers = processesIn(pidns);
    expect(servers.length).toBeGreaterThanOrEqual(4); // init, the upstream server, python, sleep (and the shell)
    await own.dispose();
    expect(await waitUntilEmpty(pidns)).toEqual([]);
  });
});
