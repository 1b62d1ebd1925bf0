// `netns-tutor shell` in a real terminal (tmux): the prompt says where you are, Ctrl-C stops the
// command and not the shell, and when the shell exits the sandbox and everything in it are gone.
import { afterEach, expect, it } from 'vitest';
import { openTutorTerminal, type TutorTerminal } from './fixtures/tmux-tutor.js';
import { prepareUnprivilegedCli } from './helpers/unprivileged.js';
import { describeProcesses, waitUntilEmpty } from './helpers/sandbox-procs.js';

let term: TutorTerminal | undefined;
afterEach(async () => {
  await term?.close();
  term = undefined;
});

it('an interactive shell: a clear prompt, Ctrl-C, background server, exit ends the sandbox', async () => {
  prepareUnprivilegedCli().dispose(); // builds dist/ if it is missing
  term = openTutorTerminal();
  term.start(['shell']);
  await term.waitFor(/^\(netns-tutor sandbox\) root@sandbox:~#\s*$/m);
  term.line('python3 -m http.server 8080 >/dev/null 2>&1 & readlink /proc/1/ns/pid');
  const screen = await term.waitFor(/^pid:\[\d+\]$/m);
  const pidns = /^(pid:\[\d+\])$/m.exec(screen)![1]!;
  term.line('ping 203.0.113.1');
  await term.waitFor(/icmp_seq=1/);
  term.keys('C-c');
  await term.waitFor(/packet loss[\s\S]*root@sandbox:~#\s*$/m);
  term.line('echo still-$((40+2))');
  await term.waitFor(/^still-42$/m);
  term.line('exit 5');
  await term.waitFor(/\[tutor exited 5\]/);
  expect(describeProcesses(await waitUntilEmpty(pidns))).toBe('');
});
