// `netns-tutor doctor` for real on this machine (the CI machine has every package installed): as
// the user running the tests, and unprivileged. Its kernel probes run in a throwaway sandbox.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport, ProbeResults } from '../src/domain/doctor/types.js';
import { prepareUnprivilegedCli, runCli, type CliResult, type UnprivilegedCli } from './helpers/unprivileged.js';
import { assertHostUnchanged, captureHostState } from './helpers/host-state.js';

const root = resolve(import.meta.dirname, '..');

function runHere(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(root, 'bin/netns-tutor.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function expectHealthy(r: CliResult): DoctorReport & { probes: ProbeResults } {
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as DoctorReport & { probes: ProbeResults };
  const notOk = report.findings.filter((f) => f.required && f.status !== 'ok').map((f) => `${f.label}: ${f.detail}`);
  // this machine is expected to have everything (.ci/run installs it): a failure names what is not
  expect(notOk).toEqual([]);
  expect(report.ok).toBe(true);
  expect(r.code).toBe(0);
  for (const c of ['netns', 'veth', 'bridge', 'nft-nat', 'iptables-nat', 'conntrack'] as const) expect(report.probes.capabilities[c]).toEqual({ status: 'ok' });
  return report;
}

describe('netns-tutor doctor, for real', () => {
  let unprivileged: UnprivilegedCli;
  beforeAll(() => {
    unprivileged = prepareUnprivilegedCli(); // builds dist/ if it is missing
  });
  afterAll(() => unprivileged.dispose());

  it('as the user running the tests: everything required is there, the kernel probes pass, the host is unchanged', async () => {
    const host = captureHostState();
    const report = expectHealthy(await runHere(['doctor', '--json']));
    expect(report.probes.isRoot).toBe(process.getuid?.() === 0);
    expect(report.probes.sandbox).toMatchObject({ created: true, mode: 'userns', identity: { kind: process.getuid?.() === 0 ? 'range' : 'self' } });
    assertHostUnchanged(host, 'netns-tutor doctor');
  });

  it('unprivileged: the same, in a user namespace', async () => {
    const report = expectHealthy(await runCli(unprivileged, ['doctor', '--json']));
    expect(report.probes.isRoot).toBe(false);
    expect(report.probes.sandbox).toEqual({ created: true, mode: 'userns', identity: { kind: 'self' } });
  });

  it('with a tool that does not run: blames that tool, gives its reinstall, never sends you back to the doctor, prints no "?"', async () => {
    // Inside a sandbox of its own, a stub that cannot run is bind-mounted over ip (the sandbox's
    // mount namespace only: the host's ip is untouched); the doctor then runs there for real,
    // its own throwaway sandbox nested in this one.
    const stub = "printf '#!/bin/sh\\necho \"ip: cannot run\" >&2\\nexit 126\\n' >/root/ip && chmod +x /root/ip && mount --bind /root/ip \"$(command -v ip)\"";
    const json = await runHere(['shell', '-c', `${stub} && netns-tutor doctor --json`]);
    const report = JSON.parse(json.stdout) as DoctorReport & { probes: ProbeResults };
    expect(json.code).toBe(1);
    const byId = (id: string) => report.findings.find((f) => f.id === id);
    expect(byId('iproute2')).toMatchObject({ status: 'missing', detail: expect.stringMatching(/ip does not run: .*exited 126: ip: cannot run/), fix: { debian: 'sudo apt-get install --reinstall -y iproute2' } });
    expect(byId('userns')).toBeUndefined();
    expect(byId('sandbox')).toMatchObject({ status: 'missing', detail: expect.stringMatching(/^cannot be created, because of ip \(iproute2\) \(above\)/), fix: byId('iproute2')!.fix });
    const text = await runHere(['shell', '-c', `${stub} && netns-tutor doctor`]);
    expect(text.stdout).toContain('✗ the sandbox');
    expect(text.stdout).not.toContain('netns-tutor doctor`');
    expect(text.stdout).not.toContain('=?');
  }, 60_000);

  it('prints a readable report and exits 0', async () => {
    const r = await runHere(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^netns-tutor doctor: this machine, as /);
    expect(r.stdout).toContain('✓ ip (iproute2)');
    expect(r.stdout).toContain('Everything netns-tutor needs is here.\n');
  });
});
