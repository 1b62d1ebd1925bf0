// A crash of the tutor leaks nothing: kill -9 of a process holding a sandbox with background
// servers in it leaves no process, namespace or mount behind, and the host as it was.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { assertHostUnchanged, captureHostState } from './helpers/host-state.js';
import { describeProcesses, processesIn, waitUntilEmpty } from './helpers/sandbox-procs.js';

interface Held {
  ready: boolean;
  initPid: number;
  pidns: string;
  netns: string;
  mntns: string;
}

it('kill -9 of the holder ends every process of the sandbox and frees its namespaces', async () => {
  const host = captureHostState();
  const holder = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/hold-sandbox.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: holder.stdout! }), 'line')) as [string];
  const held = JSON.parse(line) as Held;
  expect(held.ready).toBe(true);
  // init, the upstream web server, the shell, python and sleep at least
  expect(processesIn(held.pidns).length).toBeGreaterThanOrEqual(5);

  const exited = once(holder, 'exit');
  holder.kill('SIGKILL');
  await exited;

  const leftInPidns = await waitUntilEmpty(held.pidns);
  expect(describeProcesses(leftInPidns)).toBe('');
  // no process holds the sandbox's network or mount namespace either (the kernel frees them)
  expect(await waitUntilEmpty(held.netns, 10_000, 'net')).toEqual([]);
  expect(await waitUntilEmpty(held.mntns, 10_000, 'mnt')).toEqual([]);
  assertHostUnchanged(host, 'the kill -9 test');
});
