// The diagnoser judged for real (issue 5): the course network in a fresh sandbox per case,
// reported reachable with its path; then each injected fault must be named, with its fix, and
// running that fix must make that fault go away. Two sandboxes at a time at most.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/world/sandbox/sandbox.js';
import { diagnose, parseTarget } from '../src/app/diagnose/diagnose.js';
import type { Diagnosis } from '../src/domain/diagnose/types.js';
import { FAULT_CASES, WORKING_CASES } from './diagnose-cases.js';
import { BRIDGE_LAB, createLimiter } from './diagnose-labs.js';
import { takeSnapshot } from '../src/world/observe/take-snapshot.js';

const hostState = () => execFileSync('bash', ['-c', 'ip -br link; ip netns list; ip route; cat /proc/sys/net/ipv4/ip_forward'], { encoding: 'utf8' });
const before = hostState();
afterAll(() => expect(hostState()).toBe(before));

// at most two sandboxes at once
const limited = createLimiter(2);

/** Builds the lab, breaks it, diagnoses; then (optionally) runs the fix and diagnoses again. */
function inSandbox(lab: string, inject: string, from: string, to: string, applyFix = false) {
  // a fix given as advice (a '#' line, e.g. "start the server") is not run
  return limited(async () => {
    const sandbox = await createSandbox();
    try {
      const setup = await sandbox.run(`${lab}\nset -e\n${inject}`, { timeoutMs: 20_000 });
      expect(setup.exitCode, setup.stderr).toBe(0);
      const first = await diagnose(sandbox, from, parseTarget(to));
      let after: Diagnosis | undefined;
      if (applyFix && first.fault && first.fault.fix.every((f) => !f.startsWith('#'))) {
        const fixed = await sandbox.run(`set -e\n${first.fault.fix.join('\n')}`);
        expect(fixed.exitCode, fixed.stderr).toBe(0);
        after = await diagnose(sandbox, from, parseTarget(to));
      }
      return { first, after };
    } finally {
      await sandbox.dispose();
    }
  });
}

describe.concurrent('diagnose on the working course network', () => {
  it.each(WORKING_CASES)('$from -> $to is reachable, with its path', async (c) => {
    const { first: d } = await inSandbox(c.lab, 'true', c.from, c.to);
    expect(d.verdict, JSON.stringify(d, null, 1)).toBe('reachable');
    expect(d.probe?.outcome).toBe('ok');
    expect(d.fault).toBeUndefined();
    const there = d.path.filter((h) => h.direction === 'there');
    expect([...new Set(there.map((h) => h.namespace))]).toEqual(c.hops);
    expect(d.path.filter((h) => h.direction === 'back').at(-1)?.namespace).toBe(c.from);
    if (c.nat) expect(there.map((h) => h.nat).join(' ')).toContain(c.nat);
  });
});

describe.concurrent('diagnose names each injected fault and its fix', () => {
  it('has at least 15 distinct faults', () => {
    expect(new Set(FAULT_CASES.map((c) => c.kind)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(FAULT_CASES)('$name', async (c) => {
    const { first: d, after } = await inSandbox(c.lab, c.inject, c.from, c.to, true);
    const summary = JSON.stringify({ verdict: d.verdict, probe: d.probe, fault: d.fault, notes: d.notes }, null, 1);
    expect(d.verdict, summary).toBe('unreachable');
    expect(d.probe?.outcome).not.toBe('ok');
    expect(d.fault?.kind, summary).toBe(c.kind);
    expect(d.fault?.namespace, summary).toBe(c.namespace);
    expect(d.fault!.what).toMatch(/\.$/);
    expect(d.fault!.evidence.length).toBeGreaterThan(0);
    for (const f of c.fix) expect(d.fault!.fix.join('\n'), summary).toContain(f);
    if (after) {
      // the fix works: this fault is gone (another may show next, e.g. a route the link took away)
      expect(after.fault ? `${after.fault.kind}@${after.fault.namespace}` : after.verdict).not.toBe(`${c.kind}@${c.namespace}`);
      if (c.reachableAfterFix) expect(after.verdict, JSON.stringify({ probe: after.probe, fault: after.fault, notes: after.notes }, null, 1)).toBe('reachable');
    }
    if (c.reachableAfterFix) expect(after, 'the fix is runnable').toBeDefined();
  });
});

describe('diagnose and br_netfilter', () => {
  it('sees that bridged fox -> bear traffic passes FORWARD exactly when bridge-nf-call-iptables is 1', async () => {
    const r = await limited(async () => {
      const sandbox = await createSandbox();
      try {
        expect((await sandbox.run(`${BRIDGE_LAB}\niptables -P FORWARD DROP`)).exitCode).toBe(0);
        const snap = await takeSnapshot(sandbox);
        return { d: await diagnose(sandbox, 'fox', parseTarget('192.168.202.12')), brnf: snap.namespaces[0]!.sysctls['net.bridge.bridge-nf-call-iptables'] };
      } finally {
        await sandbox.dispose();
      }
    });
    if (r.brnf === '1') {
      expect(r.d.fault).toMatchObject({ kind: 'forward-policy', namespace: 'host' });
      expect(r.d.fault!.what).toContain('bridge-nf-call-iptables');
      expect(r.d.fault!.fix).toContain('iptables -A FORWARD -i vnet-animals -o vnet-animals -j ACCEPT');
    } else {
      expect(r.d.verdict).toBe('reachable');
    }
  });
});
