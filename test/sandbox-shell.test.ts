// The persistent shell inside a real sandbox: state persists, output streams, Ctrl-C stops the
// command (a loop too) and spares the shell and its background jobs, stdin is EOF, huge output,
// and the shell's own exit is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import type { ShellResult, ShellSession } from '../src/world/sandbox/shell-session.js';
import { MAX_KEPT_OUTPUT } from '../src/world/sandbox/shell-session.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await createSandbox();
});
afterAll(() => sb.dispose());

/** Runs `command`, interrupting it once its output contains `when` (so no test waits on a clock). */
function runAndInterruptOn(shell: ShellSession, command: string, when: string): Promise<ShellResult> {
  let seen = '';
  let sent = false;
  return shell.run(command, {
    onStdout(chunk) {
      seen += chunk;
      if (!sent && seen.includes(when)) {
        sent = true;
        shell.interrupt();
      }
    },
  });
}

describe('the persistent shell', () => {
  let shell: ShellSession;
  beforeAll(async () => {
    shell = await sb.openShell();
  });
  afterAll(() => shell.close());

  it('keeps variables, functions and the working directory between commands', async () => {
    expect((await shell.run('VNET_CIDR=192.168.202.0/24; greet() { echo "hi $1"; }; cd /tmp')).exitCode).toBe(0);
    const r = await shell.run('echo "$VNET_CIDR $PWD"; greet fox');
    expect(r.stdout).toBe('192.168.202.0/24 /tmp\nhi fox\n');
  });

  it('separates stdout and stderr and reports the exit code', async () => {
    const r = await shell.run('echo out; echo err >&2; exit_with() { return $1; }; exit_with 3');
    expect(r).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, outcome: 'exited' });
    expect((await shell.run('ping -c1 -W1 203.0.113.1 >/dev/null')).exitCode).toBe(0);
  });

  it('streams output while the command runs', async () => {
    // the command only ends because its first line arrived and was answered with an interrupt
    const r = await runAndInterruptOn(shell, 'echo first; sleep 1000; echo never', 'first\n');
    expect(r.outcome).toBe('interrupted');
    expect(r.stdout).toBe('first\n');
  });

  it('interrupts `ping` without -c and goes on with the same shell', async () => {
    await shell.run('KEEP=me');
    const r = await runAndInterruptOn(shell, 'ping 203.0.113.1', 'bytes from 203.0.113.1');
    expect(r.outcome).toBe('interrupted');
    expect(r.exitCode).toBe(130);
    expect(r.stdout).toContain('ping statistics'); // ping got SIGINT and summed up, as in a terminal
    const after = await shell.run('echo "$KEEP"');
    expect(after).toMatchObject({ stdout: 'me\n', exitCode: 0, outcome: 'exited' });
    expect(shell.alive).toBe(true);
  });

  it('interrupts a shell loop and skips the rest of the line', async () => {
    const r = await runAndInterruptOn(shell, 'echo go; while true; do sleep 0.05; done; echo after-loop', 'go\n');
    expect(r.outcome).toBe('interrupted');
    expect(r.stdout).toBe('go\n');
    expect((await shell.run('jobs')).stdout).toBe(''); // the job table is not left broken
  });

  it('spares background jobs of earlier commands when interrupting', async () => {
    await shell.run('python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 &');
    const ready = await shell.run('for i in $(seq 100); do curl -s -o /dev/null 127.0.0.1:8000 && break; sleep 0.05; done; curl -s -o /dev/null -w "%{http_code}" 127.0.0.1:8000');
    expect(ready.stdout).toBe('200');
    await runAndInterruptOn(shell, 'echo waiting; sleep 1000', 'waiting');
    expect((await shell.run('curl -s -o /dev/null -w "%{http_code}" 127.0.0.1:8000')).stdout).toBe('200');
    await shell.run('kill %1; wait');
  });

  it('gives commands that read stdin an immediate EOF', async () => {
    const r = await shell.run('cat; read -r line; echo "read=$?"');
    expect(r).toMatchObject({ stdout: 'read=1\n', exitCode: 0 });
  });

  it('streams huge output whole to the handler and keeps only its tail in the result', async () => {
    let streamed = 0;
    const r = await shell.run('seq 1 2000000', { onStdout: (c) => (streamed += c.length) });
    expect(r.exitCode).toBe(0);
    expect(streamed).toBe(14_888_896);
    expect(r.stdout.length).toBe(MAX_KEPT_OUTPUT);
    expect(r.stdout.endsWith('\n1999999\n2000000\n')).toBe(true);
    expect((await shell.run('echo next')).stdout).toBe('next\n');
  });

  it('queues commands sent while one runs', async () => {
    const [a, b] = await Promise.all([shell.run('sleep 0.1; echo a'), shell.run('echo b')]);
    expect(a.stdout).toBe('a\n');
    expect(b.stdout).toBe('b\n');
  });

  it('reports output that arrives between commands as background output', async () => {
    const got = new Promise<string>((resolve) => shell.onBackgroundOutput((chunk) => chunk.includes('late') && resolve(chunk)));
    await shell.run('(sleep 0.1; echo late) &');
    expect(await got).toContain('late');
  });
});

describe('when the shell itself exits', () => {
  it('reports the exit with its status, then refuses further commands', async () => {
    const shell = await sb.openShell();
    const r = await shell.run('echo bye; exit 7');
    expect(r).toMatchObject({ outcome: 'shell-exited', exitCode: 7, stdout: 'bye\n' });
    expect(shell.alive).toBe(false);
    expect((await shell.run('echo again')).outcome).toBe('shell-exited');
  });

  it('SIGKILL ends a command that ignores SIGINT, and the shell goes on', async () => {
    const shell = await sb.openShell();
    try {
      let sent = 0;
      const r = await shell.run(`sh -c "trap '' INT; echo ready; sleep 1000"`, {
        onStdout(chunk) {
          if (chunk.includes('ready') && sent === 0) {
            sent++;
            shell.interrupt();
            // the SIGINT is ignored by the command (and its sleep); the SIGKILL (the tutor's second
            // Ctrl-C) ends it
            setImmediate(() => shell.interrupt('SIGKILL'));
          }
        },
      });
      expect(r.outcome).toBe('interrupted');
      expect((await shell.run('echo alive')).stdout).toBe('alive\n');
    } finally {
      shell.close();
    }
  });
});
