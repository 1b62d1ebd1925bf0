// Attacks on the paths between the tutor and its sandbox (issue 9): symlinks planted where the
// tutor used to open files from the host side (job files, the job directory, the first script's
// output), TIOCSTI from inside every way in (`shell`, `shell -c`, `--attach`, the tutor's prompt and
// its :shell), and 1,000 namespaces against the snapshot's bounded pool. As root in-process and as
// nobody through the CLI. Every attack is harmless if it succeeds: the victims are files this test
// made in a temp dir, and the injected keystrokes only `echo`.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { announceSandbox, findAnnouncedSandbox, runtimeDir } from '../src/world/sandbox/registry.js';
import { takeSnapshot } from '../src/world/observe/take-snapshot.js';
import { SNAPSHOT_MAX_NAMESPACES, SNAPSHOT_PARALLEL } from '../src/world/observe/snapshot-script.js';
import { bin, fixtureCourse, openTutorTerminal, root, type TutorTerminal } from './fixtures/tmux-tutor.js';
import { NOBODY, prepareUnprivilegedCli, runCli, type UnprivilegedCli } from './helpers/unprivileged.js';

const asRoot = process.getuid?.() === 0;

// ---------------------------------------------------------------------------------------------
// Victims: files in a fresh dir under /var/tmp, which the sandbox sees read-only: only the tutor's
// own (host-side) opens could change them.

interface Victims {
  dir: string;
  /** Every entry under dir: name, inode, mode, owner, size, mtime and content. */
  fingerprint(): string;
  dispose(): void;
}

function makeVictims(user: number): Victims {
  const dir = mkdtempSync('/var/tmp/netns-tutor-victims-');
  chmodSync(dir, 0o755);
  const secret = randomBytes(6).toString('hex');
  writeFileSync(join(dir, 'root-file'), `root-secret-${secret}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'user-file'), `user-secret-${secret}\n`, { mode: 0o600 });
  mkdirSync(join(dir, 'dir'), { mode: 0o755 });
  if (asRoot) {
    chownSync(join(dir, 'user-file'), user, user);
    chownSync(join(dir, 'dir'), user, user);
  }
  const fingerprint = () => {
    const walk = (d: string): unknown[] =>
      readdirSync(d)
        .sort()
        .map((name) => {
          const p = join(d, name);
          const s = lstatSync(p);
          return { name, ino: s.ino, mode: s.mode, uid: s.uid, size: s.size, mtime: s.mtimeMs, ...(s.isDirectory() ? { entries: walk(p) } : { content: readFileSync(p, 'utf8') }) };
        });
    return JSON.stringify(walk(dir));
  };
  return { dir, fingerprint, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Inside: symlinks to the victims at every job file name the tutor used or uses (N.sh/out/err,
 *  and PID.N.out/err for the workers that are there), for the next ids. */
function plantJobLinks(v: string): string {
  return (
    `J=/run/tutor/jobs; mkdir -p $J; pids=$(ls $J | sed -n 's/^\\([0-9]*\\)\\.[0-9]*\\.out$/\\1/p' | sort -u); ` +
    `for i in $(seq 1 40); do ln -sfn ${v}/root-file $J/$i.sh; ln -sfn ${v}/user-file $J/$i.out; ln -sfn ${v}/root-file $J/$i.err; ` +
    `for p in $pids; do ln -sfn ${v}/user-file $J/$p.$i.out; ln -sfn ${v}/root-file $J/$p.$i.err; done; done; echo planted`
  );
}
/** Inside: the job directory itself becomes a symlink to a victim dir. */
const swapJobDir = (v: string) => `rm -rf /run/tutor/jobs && ln -s ${v}/dir /run/tutor/jobs && echo swapped`;
/** Inside, as the first script: its own output files become symlinks to the victims. */
const plantFirstLinks = (v: string) => `rm -f /run/tutor/first.out /run/tutor/first.err; ln -s ${v}/root-file /run/tutor/first.out; ln -s ${v}/user-file /run/tutor/first.err; echo first-ran`;

describe('symlinks planted in the paths the tutor used (as root, in-process)', () => {
  let victims: Victims;
  let before: string;
  let sb: Sandbox | undefined;
  beforeAll(() => {
    victims = makeVictims(NOBODY);
    before = victims.fingerprint();
  });
  afterEach(async () => {
    await sb?.dispose();
    sb = undefined;
  });
  afterAll(() => victims.dispose());

  it('first.out and first.err: the first script result is its own output, the victims unchanged', async () => {
    sb = await createSandbox({ firstScript: plantFirstLinks(victims.dir) });
    const first = await sb.first!;
    expect(first).toMatchObject({ stdout: 'first-ran\n', stderr: '', exitCode: 0, outcome: 'exited' });
    expect(victims.fingerprint()).toBe(before);
  });

  it('job files (old and current names) and then the job directory: every call answers right, the victims unchanged', async () => {
    sb = await createSandbox();
    sb.prewarm(2);
    expect((await sb.run('true')).exitCode).toBe(0);
    expect(await sb.run(plantJobLinks(victims.dir))).toMatchObject({ stdout: 'planted\n', exitCode: 0 });
    const calls = (tag: string) => Promise.all(Array.from({ length: 6 }, (_, i) => sb!.run(`echo ${tag}-${i}; echo err-${i} >&2; exit ${i}`)));
    for (let round = 0; round < 3; round++) {
      (await calls(`files${round}`)).forEach((r, i) => expect(r).toMatchObject({ stdout: `files${round}-${i}\n`, stderr: `err-${i}\n`, exitCode: i }));
    }
    expect(victims.fingerprint()).toBe(before);
    expect(await sb.run(swapJobDir(victims.dir))).toMatchObject({ stdout: 'swapped\n', exitCode: 0 });
    for (let round = 0; round < 3; round++) {
      (await calls(`dir${round}`)).forEach((r, i) => expect(r).toMatchObject({ stdout: `dir${round}-${i}\n`, stderr: `err-${i}\n`, exitCode: i }));
    }
    expect(victims.fingerprint()).toBe(before);
  });

  it('a removed job directory is made again inside: calls stay warm', async () => {
    sb = await createSandbox();
    await sb.run('rm -rf /run/tutor/jobs');
    expect((await sb.run('ls /run/tutor/jobs')).stdout).toMatch(/^\d+\.\d+\.out$/m);
  });
});

describe('symlinks planted in the paths the tutor used (as nobody, through the CLI)', () => {
  let cli: UnprivilegedCli;
  let victims: Victims;
  let course: string;
  beforeAll(() => {
    cli = prepareUnprivilegedCli();
    victims = makeVictims(cli.uid);
    // a course whose step 1 plants the links (and is replayed as step 2's first script, planting
    // first.out there) and whose step 2 swaps the job directory; every check runs through run()
    course = mkdtempSync(join(cli.cwd === root ? '/var/tmp' : cli.cwd, 'plant-course-'));
    chmodSync(course, 0o755);
    writeFileSync(
      join(course, '01-plant.md'),
      [
        '---',
        'format: 1',
        'id: plant',
        'title: Planted symlinks',
        "summary: A fixture for netns-tutor's own tests, not a lesson.",
        '---',
        '',
        '# Planted symlinks',
        '',
        'Symlinks to host files where the tutor used to open job files.',
        '',
        '## Plant links to the victims',
        '',
        '```sh',
        `${plantFirstLinks(victims.dir)}; ${plantJobLinks(victims.dir)}`,
        '```',
        '',
        '```yaml step',
        'checks:',
        '  - name: the links are planted',
        '    shell: test -L /run/tutor/jobs/5.sh && test -L /run/tutor/jobs/5.out',
        '    message: Not planted yet.',
        '```',
        '',
        '## Swap the job directory',
        '',
        '```sh',
        swapJobDir(victims.dir),
        '```',
        '',
        '```yaml step',
        'checks:',
        '  - name: the job directory is a link',
        '    shell: test -L /run/tutor/jobs',
        '    message: Not swapped yet.',
        '```',
        '',
      ].join('\n'),
    );
    chmodSync(join(course, '01-plant.md'), 0o644);
  });
  afterAll(() => {
    rmSync(course, { recursive: true, force: true });
    victims.dispose();
    cli.dispose();
  });

  it('test-lessons replays and checks through the planted links: passes, the victims unchanged', async () => {
    const before = victims.fingerprint();
    const r = await runCli(cli, ['test-lessons', '--lessons', course, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ passed: 2, failed: 0 });
    expect(victims.fingerprint()).toBe(before);
    expect(r.stdout + r.stderr).not.toContain('secret');
  });
});

it('an announcement forged from inside (a process named netns-tutor-init in the sandbox) is not attached to', async () => {
  const saved = process.env.XDG_RUNTIME_DIR;
  const dir = mkdtempSync(join('/var/tmp', 'netns-tutor-registry-'));
  process.env.XDG_RUNTIME_DIR = dir;
  const sb = await createSandbox({ internet: false });
  try {
    expect(announceSandbox({ id: sb.id, mode: sb.mode, initPid: sb.initPid, ownerPid: process.pid })).toBe(true);
    expect(findAnnouncedSandbox()?.initPid).toBe(sb.initPid);
    // a long-lived process inside whose command line names netns-tutor-init, as the real init's does
    await sb.run("bash -c 'sleep 60; :' netns-tutor-init >/dev/null 2>&1 &");
    let fake: number | undefined;
    for (let i = 0; i < 100 && fake === undefined; i++) {
      fake = readdirSync('/proc')
        .filter((n) => /^\d+$/.test(n) && Number(n) !== sb.initPid)
        .map(Number)
        .find((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'bash\0-c\0sleep 60; :\0netns-tutor-init\0';
          } catch {
            return false;
          }
        });
      if (fake === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(fake).toBeDefined();
    writeFileSync(join(runtimeDir(), 'tutor-sandbox.json'), JSON.stringify({ id: sb.id, mode: sb.mode, initPid: fake, ownerPid: process.pid }), { mode: 0o600 });
    expect(findAnnouncedSandbox()).toBeUndefined();
  } finally {
    await sb.dispose();
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// TIOCSTI: a host bash in a tmux pane the test owns runs netns-tutor; inside, python3 pushes
// `echo PWNED-TAG-$(readlink /proc/self/ns/net)` into /dev/tty, stdin and stdout. Had it reached
// the pane's terminal, the host bash would run it after netns-tutor ends and print PWNED-TAG-
// followed by the host's network namespace. The injector also prints its controlling terminal
// (tty_nr) and session, which must not be the pane's, whatever the kernel allows.

const tiocstiEnabled = (() => {
  try {
    return readFileSync('/proc/sys/dev/tty/legacy_tiocsti', 'utf8').trim() !== '0';
  } catch {
    return true; // kernels before 6.2 have no switch: TIOCSTI is always there
  }
})();
const hostNet = readlinkSync('/proc/self/ns/net');

const INJECTOR = [
  'import fcntl, termios, os, sys',
  't = ("echo PWNED-" + sys.argv[1] + "-$(readlink /proc/self/ns/net)\\n").encode()',
  'f = open("/proc/self/stat").read().rsplit(")", 1)[1].split()',
  'print("CTTY-" + sys.argv[1], f[4], "SID", f[3], flush=True)',
  'r = []',
  'for name, fd in (("tty", None), ("stdin", 0), ("stdout", 1)):',
  '    try:',
  '        fd = os.open("/dev/tty", os.O_RDWR) if fd is None else fd',
  '        [fcntl.ioctl(fd, termios.TIOCSTI, bytes([c])) for c in t]',
  '        r.append(name + "=injected")',
  '    except OSError as e:',
  '        r.append(name + "=" + (e.strerror or "refused").replace(" ", "-"))',
  'print("TIOCSTI-" + sys.argv[1], *r, flush=True)',
].join('\n');
/** One line (the tutor's prompt takes one line): the injector, base64-encoded. `env` first, so the
 *  tutor runs it at its prompt rather than handing a REPL the terminal. */
const inject = (tag: string) => `env python3 -c "import base64; exec(base64.b64decode('${Buffer.from(INJECTOR).toString('base64')}'))" ${tag}`;

/** A tmux pane running a host bash, and its terminal as /proc/PID/stat's tty_nr spells it. */
type HostPane = TutorTerminal & { tty: number };

/** A host bash in a fresh tmux pane; `env` as for the tutor. */
async function hostShell(env: Record<string, string> = {}): Promise<HostPane> {
  const t = openTutorTerminal(env);
  t.startCommand(`PS1='host> ' exec bash --norc --noprofile -i`);
  await t.waitFor(/^host>\s*$/m);
  t.line('echo PANE-TTY $(stat -c %t:%T $(tty))');
  const m = /^PANE-TTY ([0-9a-f]+):([0-9a-f]+)$/m.exec(await t.waitFor(/^PANE-TTY [0-9a-f]+:[0-9a-f]+$/m))!;
  const [major, minor] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
  // as /proc/PID/stat spells a tty: new_encode_dev
  return Object.assign(t, { tty: (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12) });
}

/** After netns-tutor has ended in the pane: every keystroke injected would have run before this
 *  marker's echo; the pane never shows the host's namespace after PWNED-TAG-. Then the structural
 *  proof: the injector's controlling terminal was not the pane's. */
async function expectNotInjected(t: HostPane, tag: string, seen?: string): Promise<void> {
  // typed only once the host bash prompts again (typed earlier, it would go to netns-tutor)
  await t.waitFor(/^host>\s*$/m);
  t.line(`echo DONE-${tag}`);
  const screen = await t.waitFor(new RegExp(`^DONE-${tag}$`, 'm'));
  expect(screen).not.toContain(`PWNED-${tag}-${hostNet}`);
  // (`seen`: the screen that showed it, where the tutor has drawn over it since)
  const ctty = new RegExp(`^CTTY-${tag} (\\d+) SID (\\d+)$`, 'm').exec(seen ?? screen);
  expect(ctty, screen).not.toBeNull();
  expect(Number(ctty![1])).not.toBe(t.tty);
  if (!tiocstiEnabled) console.info('TIOCSTI is disabled on this kernel (dev.tty.legacy_tiocsti=0): the keystroke part proves nothing here; the controlling-terminal part does');
}

describe('TIOCSTI from inside never reaches the learner\'s terminal', () => {
  let term: TutorTerminal | undefined;
  let tutorTerm: TutorTerminal | undefined;
  let cli: UnprivilegedCli;
  beforeAll(() => {
    cli = prepareUnprivilegedCli(); // builds dist/ if it is missing
    execFileSync('node', ['scripts/build.mjs'], { cwd: root });
  });
  afterEach(async () => {
    await term?.close();
    await tutorTerm?.close();
    term = tutorTerm = undefined;
  });
  afterAll(() => cli.dispose());

  const cliLine = (argv: readonly string[], args: string) => `${argv.map((a) => `'${a}'`).join(' ')} ${args}`;
  const users = [
    { who: 'root', argv: () => ['node', bin] },
    { who: 'nobody', argv: () => cli.argv },
  ];

  /** `shell -c INJECTOR` at the host prompt (`shell`: how this terminal starts a sandbox shell). */
  async function attackWithC(t: HostPane, shell: string): Promise<void> {
    const tag = randomBytes(4).toString('hex');
    t.line(`${shell} -c "${inject(tag).replace(/"/g, '\\"').replace(/\$/g, '\\$')}"`);
    await t.waitFor(new RegExp(`^TIOCSTI-${tag} `, 'm'));
    await expectNotInjected(t, tag);
  }
  /** `shell` (interactive), the injector typed at its prompt, then exit. */
  async function attackInteractive(t: HostPane, shell: string): Promise<void> {
    const tag = randomBytes(4).toString('hex');
    t.line(shell);
    await t.waitFor(/\(netns-tutor sandbox\) root@sandbox:~#\s*$/m);
    t.line(inject(tag));
    await t.waitFor(new RegExp(`^TIOCSTI-${tag} `, 'm'));
    t.line('exit');
    await expectNotInjected(t, tag);
  }

  for (const u of users) {
    it(`netns-tutor shell -c (as ${u.who})`, async () => {
      await attackWithC((term = await hostShell()), cliLine(u.argv(), 'shell'));
    });
    it(`netns-tutor shell, interactive (as ${u.who})`, async () => {
      await attackInteractive((term = await hostShell()), cliLine(u.argv(), 'shell'));
    });
  }

  it('netns-tutor shell --attach, with -c and interactive (a tutor runs in another terminal)', async () => {
    tutorTerm = openTutorTerminal();
    tutorTerm.start(['--lessons', fixtureCourse]);
    await tutorTerm.waitFor(/type a command/);
    const t = (term = await hostShell({ XDG_RUNTIME_DIR: tutorTerm.dir }));
    await attackWithC(t, `node ${bin} shell --attach`);
    await attackInteractive(t, `node ${bin} shell --attach`);
  });

  it("the tutor's prompt and its :shell", async () => {
    const t = (term = await hostShell());
    const tag = randomBytes(4).toString('hex');
    t.line(`node ${bin} --lessons ${fixtureCourse}`);
    await t.waitFor(/type a command/);
    t.line(inject(tag));
    const s = await t.waitFor(new RegExp(`^TIOCSTI-${tag} .*$`, 'm'));
    // the persistent shell has no terminal at all: /dev/tty opens nothing
    expect(s).toMatch(new RegExp(`^CTTY-${tag} 0 `, 'm'));
    expect(s).toMatch(new RegExp(`^TIOCSTI-${tag} tty=No-such-device-or-address stdin=\\S+ stdout=\\S+`, 'm'));
    const tag2 = randomBytes(4).toString('hex');
    t.line(':shell');
    await t.waitFor(/\(netns-tutor sandbox\) root@/);
    t.line(inject(tag2));
    const seen2 = await t.waitFor(new RegExp(`^TIOCSTI-${tag2} `, 'm'));
    t.line('exit');
    await t.waitFor(/Back in the tutor\./);
    t.line(':quit');
    await expectNotInjected(t, tag, s);
    await expectNotInjected(t, tag2, seen2);
  });
});

// ---------------------------------------------------------------------------------------------
// 1,000 namespaces: a snapshot reads them through a bounded pool and says what it left out.

describe('1,000 namespaces', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox();
    const r = await sb.run('for i in $(seq 1000); do echo "netns add ns$i"; done | ip -b - && ls /run/netns | wc -l', { timeoutMs: 120_000 });
    expect(r.stdout.trim()).toBe('1000');
  }, 180_000);
  afterAll(() => sb.dispose());

  /** The most `ip -n NAME` and `nsenter --net=/run/netns/...` processes (the snapshot's jobs) of
   *  this sandbox (its PID namespace: other tests run beside) seen at once while `during` runs,
   *  sampled from /proc. */
  async function peakJobs<T>(during: Promise<T>): Promise<{ result: T; peak: number }> {
    const pidns = readlinkSync(`/proc/${sb.initPid}/ns/pid`);
    let peak = 0;
    let done = false;
    const sample = () => {
      let n = 0;
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        try {
          if (readlinkSync(`/proc/${name}/ns/pid`) !== pidns) continue;
          const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
          if ((argv[0] === 'ip' && argv[1] === '-n') || (argv[0] === 'nsenter' && argv[1]?.startsWith('--net=/run/netns/'))) n++;
        } catch {
          // gone
        }
      }
      peak = Math.max(peak, n);
    };
    const result = during.finally(() => (done = true));
    while (!done) {
      sample();
      await new Promise((r) => setTimeout(r, 5));
    }
    return { result: await result, peak };
  }

  it('a snapshot reads a bounded number of them, a bounded number at once, and counts the rest', async () => {
    const { result: s, peak } = await peakJobs(takeSnapshot(sb));
    const named = s.namespaces.filter((n) => n.kind === 'named');
    expect(named.length).toBe(SNAPSHOT_MAX_NAMESPACES);
    expect(s.unreadNamespaces).toBe(1000 - SNAPSHOT_MAX_NAMESPACES);
    expect(named.every((n) => !n.error)).toBe(true);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(SNAPSHOT_PARALLEL);
  });

  it('the namespaces a check names are read whatever their number', async () => {
    const s = await takeSnapshot(sb, { deepIn: ['ns999'], include: ['ns998', 'ns-absent'] });
    expect(s.namespaces.map((n) => n.name)).toEqual(expect.arrayContaining(['ns999', 'ns998']));
    expect(s.namespaces.find((n) => n.name === 'ns999')!.sysctls['net.ipv4.ip_forward']).toBe('0');
    expect(s.unreadNamespaces).toBe(1000 - SNAPSHOT_MAX_NAMESPACES - 2);
  });

  it('the map says how many it left out', async () => {
    const r = spawnSync('node', [bin, 'shell', '-c', 'for i in $(seq 70); do echo "netns add m$i"; done | ip -b - && netns-tutor map >/dev/null'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${70 - SNAPSHOT_MAX_NAMESPACES} more network namespaces exist than one snapshot reads`);
  });
});

