// The built tutor in a real terminal (tmux), driven as a learner would: type commands, watch
// checks, interrupt, hand over, quit and come back. Real sandboxes; the host must not change.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { progressFileName } from '../src/app/progress/progress-store.js';
import { bin, fixtureCourse, hostNetwork, isAlive, openTutorTerminal, processesOfSandbox, root, type TutorTerminal } from './fixtures/tmux-tutor.js';

let host: string;
let term: TutorTerminal | undefined;

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: root });
  host = hostNetwork();
});
afterEach(async () => {
  await term?.close();
  term = undefined;
});
afterAll(() => {
  expect(hostNetwork()).toBe(host);
});

function tutor(args: string[] = ['--lessons', fixtureCourse], env: Record<string, string> = {}): TutorTerminal {
  term = openTutorTerminal(env);
  term.start(args);
  return term;
}

describe('the tutor in a terminal', () => {
  it('completes a step by typing its command, and waits for Enter before the next', async () => {
    const t = tutor();
    await t.waitFor(/Lesson 1 · Two namespaces · step 1 of 2/);
    await t.waitFor(/There is no namespace called fox yet\./);
    t.line('ip netns add fox');
    const done = await t.waitFor(/Step complete!/);
    expect(done).toMatch(/✓ fox exists/);
    expect(done).toMatch(/step 1 of 2/);
    t.keys('Enter');
    await t.waitFor(/step 2 of 2/);
    await t.waitFor(/The loopback link in fox is still down\./);
  });

  it('keeps a failing check and its sentence when the command does not do it', async () => {
    const t = tutor();
    await t.waitFor(/There is no namespace called fox yet\./);
    t.line('ip netns add bear');
    await t.waitFor(/\$ ip netns add bear/);
    t.line('ip netns list');
    const s = await t.waitFor(/^bear\s*$/m);
    expect(s).toMatch(/✗ fox exists/);
    expect(s).toMatch(/There is no namespace called fox yet\./);
    expect(s).not.toMatch(/Step complete/);
  });

  it('Ctrl-C interrupts ping without -c, and the tutor goes on', async () => {
    const t = tutor();
    await t.waitFor(/type a command/);
    t.line('ping 203.0.113.1');
    await t.waitFor(/icmp_seq=2/);
    t.keys('C-c');
    await t.waitFor(/\^C \(stopped\)/);
    t.line('echo still-here');
    await t.waitFor(/^still-here/m);
  });

  it('quits with :quit, resumes at the same step with the sandbox rebuilt, and leaves nothing behind', async () => {
    const t = tutor();
    await t.waitFor(/There is no namespace called fox yet\./);
    t.line('ip netns add fox');
    await t.waitFor(/Step complete!/);
    t.keys('Enter');
    await t.waitFor(/step 2 of 2/);
    const first = t.announced();
    expect(first).toBeDefined();
    expect(processesOfSandbox(first!.id).length).toBeGreaterThan(0);
    t.line(':quit');
    await t.waitFor(/\[tutor exited 0\]/);
    expect(t.screen()).toMatch(/Your progress is saved in/);
    expect(isAlive(first!.initPid)).toBe(false);
    expect(isAlive(first!.ownerPid)).toBe(false);
    expect(processesOfSandbox(first!.id)).toEqual([]);
    expect(JSON.parse(readFileSync(t.progressFile, 'utf8'))).toMatchObject({
      position: { lessonId: 'basics', stepId: 'wake-up-fox-s-loopback' },
      steps: { 'basics/make-fox': { outcome: 'passed' } },
    });

    t.start(['--lessons', fixtureCourse]);
    await t.waitFor(/Welcome back/);
    await t.waitFor(/Lesson 1 · Two namespaces · step 2 of 2/);
    await t.waitFor(/The loopback link in fox is still down\./);
    t.line('ip netns list');
    await t.waitFor(/^fox\s*$/m);
    const second = t.announced();
    expect(second?.id).not.toBe(first!.id);
    t.keys('C-c');
    await t.waitFor(/Press Ctrl-C again to quit/);
    t.keys('C-c');
    await t.waitFor(/\[tutor exited 0\]/);
    expect(processesOfSandbox(second!.id)).toEqual([]);
  });

  it('counts a command typed in `netns-tutor shell --attach` (a second terminal)', async () => {
    const t = tutor();
    await t.waitFor(/There is no namespace called fox yet\./);
    const r = spawnSync('node', [bin, 'shell', '--attach', '-c', 'ip netns add fox'], { env: { ...process.env, ...t.env }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    await t.waitFor(/Step complete!/);
  });

  it('closing the terminal (SIGHUP) ends the tutor and its sandbox', async () => {
    const t = tutor();
    await t.waitFor(/There is no namespace called fox yet\./);
    t.line('sleep 1000 &');
    await t.waitFor(/\$ sleep 1000 &/);
    const a = t.announced()!;
    expect(processesOfSandbox(a.id).length).toBeGreaterThan(0);
    expect(await t.close()).toEqual({ killed: false });
    term = undefined;
    expect(isAlive(a.ownerPid)).toBe(false);
    for (let i = 0; i < 100 && processesOfSandbox(a.id).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(processesOfSandbox(a.id)).toEqual([]);
  });

  it('sees a change in the host namespace through the kernel watch', async () => {
    // no idle re-check during this test: only the kernel watch can notice the change
    const t = tutor(['--lessons', fixtureCourse], { NETNS_TUTOR_IDLE_CHECK_MS: '3600000' });
    await t.waitFor(/type a command/);
    t.line(':lessons');
    await t.waitFor(/Pick a lesson/);
    t.keys('Down');
    t.keys('Enter');
    await t.waitFor(/There is no bridge called br0\./);
    const r = spawnSync('node', [bin, 'shell', '--attach', '-c', 'ip link add br0 type bridge && ip link set br0 up'], { env: { ...process.env, ...t.env }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    await t.waitFor(/Step complete!/);
  });

  it('hands the terminal to :shell and to interactive commands, and comes back', async () => {
    const t = tutor();
    await t.waitFor(/type a command/);
    t.line(':shell');
    await t.waitFor(/\(netns-tutor sandbox\) root@/);
    t.line('ip netns add fox');
    t.line('exit');
    await t.waitFor(/Back in the tutor\./);
    await t.waitFor(/Step complete!/);
    t.line('ip netns exec fox bash');
    // the nested shell names its namespace (it showed root@sandbox, like the sandbox's host)
    await t.waitFor(/^\(netns-tutor sandbox\) fox:~#\s*$/m);
    t.line('ip -br link; exit');
    await t.waitFor(/Back in the tutor \(exit status 0\)/);
    t.line('ip netns exec nosuch bash');
    await t.waitFor(/Cannot open network namespace "nosuch"[\s\S]*Press Enter to go back/);
    t.keys('Enter');
    await t.waitFor(/Back in the tutor \(exit status 255\)/);
    t.line('echo typing-works');
    await t.waitFor(/^typing-works/m);
  });

  it(':hint, :solution, :skip, :help and :map', async () => {
    const t = tutor();
    await t.waitFor(/type a command/);
    t.line(':hint');
    await t.waitFor(/Hint 1 of 2: Namespaces are made with/);
    t.line(':solution');
    await t.waitFor(/The solution for this step/);
    t.line(':help');
    await t.waitFor(/Commands \(type them at the prompt\)/);
    t.keys('Escape');
    await t.waitFor(/A network namespace is a separate network stack/);
    t.line(':skip');
    await t.waitFor(/step 2 of 2/);
    t.line(':map');
    await t.waitFor(/The network in your sandbox now/);
    await t.waitFor(/─ fox ─/);
    expect(JSON.parse(readFileSync(t.progressFile, 'utf8')).steps['basics/make-fox'].outcome).toBe('skipped');
  });

  it('resumes inside the real course (lesson 3, replayed) and :why names the hop that stops a ping', async () => {
    term = openTutorTerminal();
    const t = term;
    writeFileSync(t.progressFile, JSON.stringify({ version: 1, position: { lessonId: 'veth-pair', stepId: 'switch-on-and-ping' }, steps: {} }));
    t.start([]);
    await t.waitFor(/Welcome back/);
    await t.waitFor(/Lesson 3 · .* · step \d+ of \d+/);
    await t.waitFor(/not hold yet · they re-run|Neither check holds yet|None of the \d+ checks holds yet/);
    t.line(':why');
    await t.waitFor(/First hop that cannot pass: fox/);
    await t.waitFor(/fix: +ip -n fox link set veth-fox up/);
  });

  it('scrolls the output back to line 1, shows evidence, names the netns in a nested prompt, and says when a done step stops holding', async () => {
    const t = tutor();
    await t.waitFor(/^Starting your sandbox… ready\.\s*$/m);
    t.line('ip netns add bear');
    // the evidence under the failing check: what the kernel has
    await t.waitFor(/There is no namespace called fox yet\.\n\s+ip netns list: bear/);
    t.line('seq 1 500');
    await t.waitFor(/^500\s*$/m);
    t.keys('S-PageUp');
    await t.waitFor(/↓ \d+ lines below · Shift-PgUp\/Dn scrolls/);
    t.keys('S-Home');
    const top = await t.waitFor(/^\$ seq 1 500\s*\n1\s*\n2\s*$/m);
    expect(top).not.toMatch(/^500\s*$/m);
    t.keys('S-End');
    await t.waitFor(/^500\s*$/m);
    t.line('ip netns add fox');
    await t.waitFor(/Step complete!/);
    t.keys('Enter');
    await t.waitFor(/step 2 of 2/);
    // a nested shell's prompt names its namespace
    t.line('ip netns exec fox bash');
    await t.waitFor(/\(netns-tutor sandbox\) fox:~#\s*$/m);
    t.line('exit');
    await t.waitFor(/Back in the tutor/);
    // undoing step 1 is named, with the evidence, without going back
    t.line('ip netns del fox');
    const broken = await t.waitFor(/Step 1 \(Make fox\) no longer holds:\s*\n\s+✗ fox exists: There is no namespace called fox yet\.\s*\n\s+ip netns list: bear/);
    expect(broken).toMatch(/step 2 of 2/);
    t.line('ip netns add fox');
    await t.waitFor(/Step 1 \(Make fox\) holds again\./);
  });

  it('opens :why at its verdict line in an 80x24 terminal', async () => {
    term = openTutorTerminal({}, { columns: 80, rows: 24 });
    const t = term;
    writeFileSync(t.progressFile, JSON.stringify({ version: 1, position: { lessonId: 'veth-pair', stepId: 'switch-on-and-ping' }, steps: {} }));
    t.start([]);
    await t.waitFor(/not hold yet|Neither check holds yet|None of the \d+ checks holds yet/, 30_000);
    t.line(':why');
    const s = await t.waitFor(/NOT reachable/, 30_000);
    expect(s).toMatch(/^Why fox → /m);
    // the rest is a scroll away, and the rule says so
    expect(s).toMatch(/↓ \d+ lines? below/);
  });

  it('runs the first step of the real course by typing its command; a typo reads as bash says it', async () => {
    const t = tutor([]);
    await t.waitFor(/Lesson 1 · Looking around the host · step 1 of/);
    await t.waitFor(/^Starting your sandbox… ready\.\s*$/m);
    await t.waitFor(/does not hold a namespace identity/);
    t.line('readlnk /proc/self/ns/net');
    await t.waitFor(/^bash: readlnk: command not found\s*$/m);
    t.line('readlink /proc/self/ns/net | tee /root/my-netns.txt');
    const done = await t.waitFor(/Step complete!/);
    expect(done.match(/Step complete/g)).toHaveLength(1);
    expect(done).not.toMatch(/main: line/);
  });
});

describe('as an unprivileged user whose home cannot be written', () => {
  it('runs a step, keeps progress in a private temp dir, and ends when its terminal closes', async () => {
    const t = openTutorTerminal();
    term = t;
    chmodSync(t.dir, 0o1777);
    // as root: the tutor runs as nobody (its HOME is /nonexistent); otherwise as this user with
    // HOME pointed at a directory that does not exist
    const env = `env -u NETNS_TUTOR_PROGRESS CI=false TERM=xterm-256color HOME=/nonexistent TMPDIR=${t.dir} XDG_RUNTIME_DIR=${t.dir} XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_CACHE_HOME=`;
    const tutorLine = `cd ${root} && ${env} node ${bin} --lessons ${fixtureCourse}`;
    t.startCommand(process.getuid?.() === 0 ? `su -s /bin/bash nobody -c '${tutorLine}'` : tutorLine);
    const first = await t.waitFor(/There is no namespace called fox yet\./);
    expect(first).toMatch(/progress\s+is kept in/);
    // su -c gives the tutor no controlling terminal (no SIGWINCH): it still redraws at the new size
    t.resize(80, 24);
    await t.waitFor(/^:hint :solution :skip :shell :help :quit {2}· {2}Ctrl-C stop · Shift-PgUp\/Dn output\s*$/m);
    t.line('ip netns add fox');
    await t.waitFor(/Step complete!/);
    t.keys('Enter');
    await t.waitFor(/step 2 of 2/);
    t.line(':quit');
    await t.waitFor(/\[tutor exited 0\]/);
    const uid = process.getuid?.() === 0 ? 65534 : process.getuid?.();
    const saved = JSON.parse(readFileSync(join(t.dir, `netns-tutor-${uid}`, progressFileName(fixtureCourse)), 'utf8'));
    expect(saved.position).toEqual({ lessonId: 'basics', stepId: 'wake-up-fox-s-loopback' });
    // started through su, the tutor has a session of its own: closing the terminal must end it
    t.startCommand(process.getuid?.() === 0 ? `su -s /bin/bash nobody -c '${tutorLine}'` : tutorLine);
    await t.waitFor(/The loopback link in fox is still down\./);
    const a = t.announced()!;
    expect(await t.close()).toEqual({ killed: false });
    term = undefined;
    expect(isAlive(a.ownerPid)).toBe(false);
    for (let i = 0; i < 100 && processesOfSandbox(a.id).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(processesOfSandbox(a.id)).toEqual([]);
  });
});

describe('without a terminal', () => {
  it('says what to use instead and exits 2', () => {
    const r = spawnSync('node', [bin], { input: '', encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs an interactive terminal/);
    expect(r.stderr).toMatch(/netns-tutor shell/);
    expect(r.stderr).toMatch(/netns-tutor check/);
    expect(r.stderr).toMatch(/netns-tutor test-lessons/);
  });
});
