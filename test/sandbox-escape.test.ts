// Attacks on the sandbox, as root (the sandbox made in this process) and as nobody (the CLI from a
// copy, `shell -c`): each must fail inside and leave the host byte-identical. Every attack is
// harmless even if it succeeds: a sysctl gets the value it already has, writes go to a directory
// this test made, the host process entered is a `sleep` of ours. Run unprivileged, the "root"
// attacker is not available and the output says so; the unprivileged one runs as this user.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainTaskLimit, MAX_SANDBOX_TASKS, TASK_LIMIT_SENTENCE } from '../src/world/sandbox/limits.js';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { isConfinedFilePath } from '../src/world/sandbox/stage-files.js';
import { assertHostUnchanged, captureHostState, type HostState } from './helpers/host-state.js';
import { NOBODY, prepareUnprivilegedCli, type UnprivilegedCli } from './helpers/unprivileged.js';

const isRoot = process.getuid?.() === 0;
const SECRET = 'FOO_SECRET';
const MARKER = `nt-escape-marker-${process.pid}`;

interface Attempt {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Attacker {
  name: string;
  attack(script: string): Promise<Attempt>;
}

let host: HostState;
let cli: UnprivilegedCli;
let rootSandbox: Sandbox | undefined;
let hostSleeper: ChildProcess;
let socketServer: Server;
let socketPath: string;
let connections = 0;
/** A host directory anyone may write (as /var/tmp is): a write from inside must not land here. */
let hostDrop: string;
const hostNetns = readlinkSync('/proc/self/ns/net');

/** The CLI as the unprivileged user, with a secret in its environment. */
function viaCli(script: string): Promise<Attempt> {
  return new Promise((done) => {
    const [file, ...rest] = cli.argv;
    const child = spawn(file!, [...rest, 'shell', '-c', script], {
      cwd: cli.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: cli.uid === NOBODY ? '/tmp' : (process.env.HOME ?? '/tmp'), LANG: 'C.UTF-8', [SECRET]: 'hunter2' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const attackers: Attacker[] = [
  ...(isRoot ? [{ name: 'root', attack: async (s: string) => toAttempt(await rootSandbox!.run(s, { timeoutMs: 60_000 })) }] : []),
  { name: isRoot ? 'nobody' : 'this unprivileged user', attack: viaCli },
];
if (!isRoot) process.stderr.write('sandbox-escape: the root attacker needs the suite to run as root; only the unprivileged one runs here\n');

function toAttempt(r: { exitCode: number; stdout: string; stderr: string }): Attempt {
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  host = captureHostState();
  cli = prepareUnprivilegedCli();
  hostDrop = mkdtempSync('/var/tmp/nt-escape-');
  chmodSync(hostDrop, 0o1777);
  // a host process to find and enter: its command line carries the marker
  hostSleeper = spawn('bash', ['-c', `exec -a ${MARKER} sleep 600`], { stdio: 'ignore' });
  socketPath = join(mkdtempSync(join(tmpdir(), 'nt-escape-')), 'agent.sock');
  chmodSync(join(socketPath, '..'), 0o755);
  socketServer = createServer((c) => {
    connections++;
    c.destroy();
  });
  await new Promise<void>((r) => socketServer.listen(socketPath, r));
  chmodSync(socketPath, 0o777);
  if (isRoot) {
    // in this process's environment for as long as the attacks run: whatever spreads
    // process.env into a spawn (the workers, the shell) must still not carry it inside
    process.env[SECRET] = 'hunter2';
    rootSandbox = await createSandbox({ internet: false });
  }
}, 60_000);

afterAll(async () => {
  delete process.env[SECRET];
  await rootSandbox?.dispose();
  hostSleeper.kill('SIGKILL');
  await new Promise<void>((r) => socketServer.close(() => r()));
  rmSync(join(socketPath, '..'), { recursive: true, force: true });
  const dropped = readdirSync(hostDrop);
  rmSync(hostDrop, { recursive: true, force: true });
  cli.dispose();
  expect(dropped, 'files written from inside the sandbox into a host directory').toEqual([]);
  assertHostUnchanged(host, 'the sandbox escape tests');
});

describe.each(attackers)('as $name', ({ name, attack }) => {
  it('cannot write global kernel settings (core_pattern, a non-net sysctl, /sys), only its own network ones', async () => {
    // each writes the value already there: harmless even if it worked
    const r = await attack(
      [
        'v=$(cat /proc/sys/kernel/core_pattern); printf "%s\\n" "$v" >/proc/sys/kernel/core_pattern && echo WROTE-core_pattern',
        'sysctl -qw fs.lease-break-time=$(cat /proc/sys/fs/lease-break-time) && echo WROTE-lease-break-time',
        'sysctl -qw kernel.domainname="$(cat /proc/sys/kernel/domainname)" && echo WROTE-domainname',
        '[ -e /sys/kernel/mm/ksm/run ] && { cat /sys/kernel/mm/ksm/run >/sys/kernel/mm/ksm/run && echo WROTE-ksm; }',
        'sysctl -qw net.ipv4.ip_forward=1 && echo net-ok',
      ].join('\n'),
    );
    expect(r.stdout).toBe('net-ok\n');
    expect(r.stderr).toContain('/proc/sys/kernel/core_pattern: Permission denied');
    expect(r.stderr).toContain('permission denied on key "fs.lease-break-time"');
    expect(r.stderr).toContain('permission denied on key "kernel.domainname"');
  });

  it('cannot make the host file system writable again, nor write to it', async () => {
    const r = await attack(
      [
        'mount -o remount,bind,rw / && echo REMOUNTED-bind',
        'mount -o remount,rw / && echo REMOUNTED',
        `mount -o remount,bind,rw ${hostDrop} && echo REMOUNTED-drop`,
        `touch ${hostDrop}/x && echo WROTE`,
        'umount /run && echo UMOUNTED-run',
        'echo done',
      ].join('\n'),
    );
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toContain(`touch: cannot touch '${hostDrop}/x': Read-only file system`);
  });

  it('sees no host process: not after unmounting /proc, not in a proc of its own, not in a fresh sysfs', async () => {
    // the marker is pieced together inside: no command line in there contains it whole
    const [head, tail] = [MARKER.slice(0, 10), MARKER.slice(10)];
    const find = (dir: string) => `grep -l -F -f /run/marker ${dir}/[0-9]*/cmdline 2>/dev/null && echo FOUND-in-${dir}`;
    const r = await attack(
      [
        `printf '%s%s' ${head} ${tail} >/run/marker`,
        find('/proc'),
        'umount /proc 2>/dev/null; umount -l /proc 2>/dev/null; umount -l /proc 2>/dev/null',
        find('/proc'),
        'mkdir -p /run/p && mount -t proc proc /run/p 2>/dev/null && { ' + find('/run/p') + '; echo mounted-proc; }',
        'umount -l /sys 2>/dev/null; umount -l /sys 2>/dev/null',
        // the host's own links are not in whatever /sys is now
        `ls /sys/class/net | tr '\\n' ' '; echo`,
        'echo done',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('FOUND');
    expect(r.stdout).toContain('done\n');
    const hostLinks = readdirSync('/sys/class/net').filter((l) => l !== 'lo' && l !== 'eth0');
    const seen = r.stdout.split('\n').find((l) => l.includes('lo'))?.split(' ') ?? [];
    for (const l of hostLinks) expect(seen).not.toContain(l);
  });

  it('cannot enter a host process\'s namespaces', async () => {
    const pid = hostSleeper.pid!;
    const r = await attack(
      [
        `nsenter -t ${pid} -n readlink /proc/self/ns/net`,
        `nsenter --net=/proc/${pid}/ns/net readlink /proc/self/ns/net`,
        'umount -l /proc 2>/dev/null',
        `nsenter -t ${pid} -n -m readlink /proc/self/ns/net`,
        'echo done',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain(hostNetns);
    expect(r.stdout).toContain('done\n');
  });

  it('does not see the host /tmp nor reach a unix socket there', async () => {
    const before = connections;
    const r = await attack(
      [
        `[ -e ${socketPath} ] && echo VISIBLE`,
        `perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Peer => shift) and print "CONNECTED\\n"' ${socketPath}`,
        // nothing of the host's /tmp: only, where netns-tutor itself lives under /tmp, the path to
        // its read-only mount
        'ls -A /tmp | while read -r e; do findmnt -rn -o TARGET | grep -q "^/tmp/$e\\(/\\|$\\)" || echo "$e"; done | wc -l',
      ].join('\n'),
    );
    expect(r.stdout).toBe('0\n');
    expect(connections).toBe(before);
  });

  it('inherits none of the tutor\'s environment beyond the allow-list', async () => {
    const r = await attack(`env | grep -c ${SECRET}; grep -l ${SECRET} /proc/[0-9]*/environ 2>/dev/null | wc -l; echo "$SSH_AUTH_SOCK"`);
    expect(r.stdout).toBe('0\n0\n\n');
  });

  it(`stops a fork bomb at ${MAX_SANDBOX_TASKS} tasks, and recovers when it ends`, async () => {
    // bounded: at most 3000 forks, the children sleep and are killed at the end
    const bomb =
      'perl -e \'my @kids; for (1..3000) { my $p = fork; if (!defined $p) { print "refused after ", scalar(@kids), ": $!\\n"; warn "Cannot fork: $!\\n"; last } ' +
      'if (!$p) { sleep 30; exit } push @kids, $p } kill "KILL", @kids; waitpid($_, 0) for @kids\'';
    const r = await attack(`${bomb}; echo after`);
    const m = /^refused after (\d+): Resource temporarily unavailable$/m.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(MAX_SANDBOX_TASKS);
    expect(Number(m![1])).toBeGreaterThan(MAX_SANDBOX_TASKS / 2);
    expect(r.stdout).toContain('after\n');
    // the run API explains the limit once (the CLI's shell shows the command's own message)
    if (name === 'root') expect(r.stderr).toBe(`Cannot fork: Resource temporarily unavailable\n${TASK_LIMIT_SENTENCE}\n`);
    // the host can still fork, and the sandbox runs commands again
    expect(spawnSync('true').status).toBe(0);
    expect((await attack('echo again')).stdout).toBe('again\n');
  }, 120_000);

  it('caps what its temp dirs and /run can hold', async () => {
    const fill = (dir: string) => `head -c 300M /dev/zero >${dir}/fill 2>/dev/null; du -m ${dir}/fill | cut -f1; rm -f ${dir}/fill`;
    const r = await attack([fill('/tmp'), fill('/dev/shm'), fill('/run'), fill('/root')].join('\n'));
    const [tmp, shm, run, home] = r.stdout.trim().split('\n').map(Number);
    expect(tmp).toBeLessThanOrEqual(256);
    expect(shm).toBeLessThanOrEqual(64);
    expect(run).toBeLessThanOrEqual(64);
    expect(home).toBeLessThanOrEqual(64);
  }, 60_000);
});

describe('files: paths', () => {
  it('are confined to /etc and /root after normalisation', () => {
    for (const bad of ['/root/../tmp/x', '/etc/../usr/x', '/etc/./hosts', '/etc//hosts', '/etc/', '/root/a/..', 'etc/hosts', '/tmp/x', '/etc']) {
      expect(isConfinedFilePath(bad), bad).toBe(false);
    }
    for (const good of ['/etc/hosts', '/root/notes.txt', '/etc/kubernetes/manifests/a.yaml', '/root/..hidden']) expect(isConfinedFilePath(good), good).toBe(true);
  });

  it('a `..` in files: is refused before anything is written, with what to do', async () => {
    await expect(createSandbox({ files: { '/root/../tmp/nt-escape-x': 'x' } })).rejects.toThrow(/plain absolute path under \/etc or \/root: "\/root\/\.\.\/tmp\/nt-escape-x"/);
  });
});

describe('the limit explained', () => {
  it('adds one sentence where a fork failed for want of room, and nothing elsewhere', () => {
    const bash = 'bash: fork: retry: Resource temporarily unavailable\n';
    expect(explainTaskLimit(bash)).toBe(`${bash}${TASK_LIMIT_SENTENCE}\n`);
    expect(explainTaskLimit(explainTaskLimit(bash))).toBe(`${bash}${TASK_LIMIT_SENTENCE}\n`);
    expect(explainTaskLimit('ping: connect: Network is unreachable\n')).toBe('ping: connect: Network is unreachable\n');
    expect(explainTaskLimit('')).toBe('');
  });
});
