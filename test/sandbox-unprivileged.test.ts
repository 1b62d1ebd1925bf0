// The real sandbox for an ordinary user: as root the suite also runs the CLI as nobody from a
// copy readable by all; run unprivileged, it runs as the current user. Never skipped.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chmodSync, chownSync, cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NOBODY, prepareUnprivilegedCli, runCli, type UnprivilegedCli } from './helpers/unprivileged.js';

const fixture = resolve(import.meta.dirname, 'fixtures/warm-course');

let cli: UnprivilegedCli;
beforeAll(() => {
  cli = prepareUnprivilegedCli();
});
afterAll(() => cli.dispose());

it('netns-tutor shell -c works unprivileged: a netns, a bridge and the simulated internet', async () => {
  const r = await runCli(cli, ['shell', '-c', 'ip netns add fox && ip link add br0 type bridge && ping -c1 -W1 203.0.113.1']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('1 received');
});

it('really runs unprivileged: root inside is the unprivileged uid outside, in a nested user namespace', async () => {
  // a file of cli.uid's in the CLI's folder (seen read-only at /run/tutor/pkg) is root's inside;
  // the host's root-owned files belong to nobody there
  let probe = 'package.json';
  if (cli.uid === NOBODY) {
    probe = 'owned-by-nobody';
    writeFileSync(join(cli.cwd, probe), '');
    chownSync(join(cli.cwd, probe), NOBODY, NOBODY);
  }
  const r = await runCli(cli, ['shell', '-c', `id -u; stat -c %u /run/tutor/pkg/${probe} /usr/bin; cat /proc/self/uid_map`]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const [inside, cliOwner, usrOwner, map] = r.stdout.split('\n');
  expect([inside, cliOwner, usrOwner]).toEqual(['0', '0', cli.uid === 0 ? '0' : '65534']);
  // the nested namespace maps its root to the outer one's
  expect(map?.trim().split(/\s+/)).toEqual(['0', '0', '1']);
});

it('exits with the status of the command, and refuses to nest', async () => {
  expect((await runCli(cli, ['shell', '-c', 'exit 7'])).code).toBe(7);
  const nested = await runCli(cli, ['shell', '-c', 'netns-tutor shell -c true']);
  expect(nested.code).toBe(1);
  expect(nested.stderr).toContain('already inside a netns-tutor sandbox');
});

it('runs checks through warm workers unprivileged too (their job files live in the sandbox /run, read through /proc/PID/root)', async () => {
  // the fixture's one check passes only after its solution, and only inside a warm worker
  const course = cli.uid === NOBODY ? join(cli.cwd, 'warm-course') : fixture;
  if (cli.uid === NOBODY) {
    cpSync(fixture, course, { recursive: true });
    chmodSync(course, 0o755);
  }
  const r = await runCli(cli, ['test-lessons', '--lessons', course, '--json']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ passed: 1, failed: 0 });
});

it('tcpdump captures unprivileged: netns-tutor\'s packet watcher stands in for it (assets/ is in the copy)', async () => {
  const script =
    'd=$(mktemp -d /run/tutor/tmp/watch.XXXXXX); tcpdump -c1 -n -i eth0 icmp >$d/out 2>$d/err & w=$!; ' +
    'for _ in $(seq 1000); do grep -q "^listening on" $d/err && break; sleep 0.01; done; ' +
    'ping -c1 -W1 203.0.113.1 >/dev/null; wait $w; s=$?; cat $d/out; cat $d/err >&2; exit $s';
  const r = await runCli(cli, ['shell', '-c', script]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{6} IP 203\.0\.113\.2 > 203\.0\.113\.1: ICMP echo request, id \d+, seq 1, length 64\n$/);
  expect(r.stderr).toContain('listening on eth0, link-type EN10MB (Ethernet)');
  expect(r.stderr).toContain('1 packet captured');
});
