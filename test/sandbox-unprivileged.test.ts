// The real sandbox for an ordinary user: as root the suite also runs the CLI as nobody from a
// copy readable by all; run unprivileged, it runs as the current user. Never skipped.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareUnprivilegedCli, runCli, type UnprivilegedCli } from './helpers/unprivileged.js';

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

it('really runs unprivileged: root inside maps to the unprivileged uid outside', async () => {
  const r = await runCli(cli, ['shell', '-c', 'id -u; cat /proc/self/uid_map']);
  expect(r.code).toBe(0);
  const [inside, map] = r.stdout.split('\n');
  expect(inside).toBe('0');
  expect(map?.trim().split(/\s+/)).toEqual(['0', String(cli.uid), '1']);
});

it('exits with the status of the command, and refuses to nest', async () => {
  expect((await runCli(cli, ['shell', '-c', 'exit 7'])).code).toBe(7);
  const nested = await runCli(cli, ['shell', '-c', 'netns-tutor shell -c true']);
  expect(nested.code).toBe(1);
  expect(nested.stderr).toContain('already inside a netns-tutor sandbox');
});
