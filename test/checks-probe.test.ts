// Probes: how their output is read (pure), and the real thing in a sandbox: ping, TCP, HTTP from
// namespaces and the internet side, a step evaluated end to end, and nothing sent from the host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateStep } from '../src/app/checks/evaluate-step.js';
import { batchProbeScript, interpretProbe, parseBatchOutput } from '../src/world/probes/probe-scripts.js';
import { probePaths, runProbes } from '../src/world/probes/run-probes.js';
import { createProbeMemo } from '../src/world/probes/probe-memo.js';
import { enterPrefix, ipCommandIn, ipIn, namespaceFile, namespaceRef, runIn } from '../src/domain/sandbox-layout.js';
import { probeKey, type ProbeRequest, type ProbeResult } from '../src/domain/checks/probe-types.js';
import type { CommandRunner } from '../src/world/exec/types.js';
import { parseLesson } from '../src/domain/lesson/parse-lesson.js';
import { createLocalRunner } from '../src/world/exec/runner.js';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { join } from 'node:path';
import { loadCourse } from '../src/app/course/load-course.js';
import { lessonWith } from './checks-parse-helper.js';

/** One reachability probe through the path evaluateStep uses (runProbes' batch). */
async function probeReach(runner: CommandRunner, t: { from: string; to: string; port?: number; http?: { path?: string } }): Promise<ProbeResult> {
  const port = t.port ?? (t.http ? 80 : undefined);
  const req: ProbeRequest = { kind: 'reach', from: t.from, to: t.to, ...(port !== undefined ? { port } : {}), ...(t.http ? { http: { path: t.http.path ?? '/' } } : {}) };
  return (await runProbes(runner, [req]))[probeKey(req)]!;
}

describe('the wait for an answer (pure)', () => {
  it('is short where the check expects no answer, and keys that probe apart', () => {
    const expects = { kind: 'reach' as const, from: 'fox', to: '198.51.100.10' };
    const silent = { ...expects, silence: true as const };
    expect(batchProbeScript([expects])).toContain('ping -n -q -c1 -W 0.25 ');
    expect(batchProbeScript([silent])).toContain('ping -n -q -c1 -W 0.1 ');
    expect(batchProbeScript([{ ...silent, port: 80, http: { path: '/' } }])).toContain('--connect-timeout 0.1 ');
    expect(batchProbeScript([{ ...silent, port: 22 }])).toContain('timeout 0.1 bash');
    expect(probeKey(silent)).not.toBe(probeKey(expects));
    expect(interpretProbe(silent, 1, '', 100)).toMatchObject({ outcome: 'no-reply', detail: 'ping 198.51.100.10 from fox: no reply within 100 ms' });
  });
});

describe('the sandbox layout: one way into a namespace (pure)', () => {
  it('names each namespace by the file behind it, and enters it quoted once', () => {
    expect(namespaceRef('host')).toEqual({ kind: 'host', name: 'host' });
    expect(namespaceRef('internet')).toEqual({ kind: 'upstream', name: 'internet' });
    expect(namespaceFile(namespaceRef('internet'))).toBe('/run/tutor/upstream');
    expect(namespaceFile(namespaceRef('fox'))).toBe('/run/netns/fox');
    expect(namespaceFile(namespaceRef('host'))).toBeUndefined();
    expect(enterPrefix(namespaceRef('host'))).toBe('');
    expect(enterPrefix(namespaceRef('fox'))).toBe("nsenter --net='/run/netns/fox' ");
    expect(ipCommandIn(namespaceRef('fox'))).toBe("ip -n 'fox'");
    expect(ipCommandIn(namespaceRef('internet'))).toBe("nsenter --net='/run/tutor/upstream' ip");
    // as a person types it
    expect(runIn(namespaceRef('fox'), 'ss -ltn')).toBe('ip netns exec fox ss -ltn');
    expect(runIn(namespaceRef('internet'), 'curl -s http://203.0.113.2/')).toBe('nsenter --net=/run/tutor/upstream curl -s http://203.0.113.2/');
    expect(ipIn(namespaceRef('bear'), 'route')).toBe('ip -n bear route');
  });
});

describe('one probe stack for checks and diagnose (pure)', () => {
  const tcp = { kind: 'reach' as const, from: 'fox', to: '192.168.202.12', port: 80 };
  it('refuses outside a sandbox and forgets failed neighbours unless the caller says otherwise', () => {
    expect(batchProbeScript([tcp])).toContain('NETNS_TUTOR_SANDBOX');
    expect(batchProbeScript([tcp])).toContain('neigh flush nud incomplete');
    const diagnose = batchProbeScript([tcp], { outsideSandbox: 'allow', neighbours: 'keep' });
    expect(diagnose).not.toContain('NETNS_TUTOR_SANDBOX');
    expect(diagnose).not.toContain('neigh flush');
    expect(diagnose).toContain("timeout 0.5 bash -c 'exec 3<>/dev/tcp/192.168.202.12/80'");
  });
  it('says what was tried and the command that tries it again', () => {
    expect(interpretProbe(tcp, 0, '', 1)).toMatchObject({ tried: 'TCP 192.168.202.12:80 from fox', command: "ip netns exec fox timeout 0.5 bash -c 'exec 3<>/dev/tcp/192.168.202.12/80'" });
    const up = { kind: 'reach' as const, from: 'internet', to: '203.0.113.2' };
    expect(interpretProbe(up, 1, '', 250)).toMatchObject({ command: 'nsenter --net=/run/tutor/upstream ping -c1 -W 0.25 203.0.113.2' });
  });
});

describe('interpretProbe (pure)', () => {
  const ping = { kind: 'reach' as const, from: 'fox', to: '198.51.100.10' };
  it('reads ping exit statuses', () => {
    expect(interpretProbe(ping, 0, '', 1)).toMatchObject({ outcome: 'ok', detail: 'ping 198.51.100.10 from fox: reply' });
    expect(interpretProbe(ping, 1, '', 250)).toMatchObject({ outcome: 'no-reply', detail: 'ping 198.51.100.10 from fox: no reply within 250 ms' });
    expect(interpretProbe(ping, 2, 'ping: connect: Network is unreachable\n', 1)).toMatchObject({ outcome: 'unreachable', detail: 'ping 198.51.100.10 from fox: connect: Network is unreachable' });
    expect(interpretProbe(ping, 91, '', 1)).toMatchObject({ outcome: 'no-source', detail: 'There is no network namespace fox to send from.' });
    // /run/netns/fox is there, but it is a plain file: nsenter cannot enter it, ping never runs
    const refused = interpretProbe(ping, 1, "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument\n", 1);
    expect(refused).toMatchObject({ outcome: 'no-source', output: "fox: nsenter: reassociate to namespace 'ns/net' failed: Invalid argument" });
    expect(refused.detail).toMatch(/^\/run\/netns\/fox exists, but it is not a network namespace: .*`ip netns del fox && ip netns add fox`\.$/);
    const http = { kind: 'reach' as const, from: 'fox', to: '198.51.100.10', port: 80, http: { path: '/' } };
    expect(interpretProbe(http, 1, "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument\n", 1)).toMatchObject({ outcome: 'no-source' });
    expect(interpretProbe(ping, 90, '', 1)).toMatchObject({ outcome: 'skipped' });
  });
  it('reads TCP and HTTP outcomes', () => {
    const tcp = { kind: 'reach' as const, from: 'host', to: '192.168.202.11', port: 80 };
    expect(interpretProbe(tcp, 1, 'bash: connect: Connection refused\n', 1)).toMatchObject({ outcome: 'refused', detail: 'TCP 192.168.202.11:80 from host: connection refused' });
    expect(interpretProbe(tcp, 124, '', 500)).toMatchObject({ outcome: 'timed-out' });
    const http = { kind: 'reach' as const, from: 'internet', to: '203.0.113.2', port: 8080, http: { path: '/' } };
    expect(interpretProbe(http, 0, 'hello from fox\n\n200', 3)).toMatchObject({ outcome: 'ok', detail: 'HTTP GET http://203.0.113.2:8080/ from internet: HTTP 200', output: 'hello from fox\n' });
    expect(interpretProbe(http, 7, 'curl: (7) Failed to connect to 203.0.113.2 port 8080 after 0 ms: Couldn\'t connect to server\n', 3)).toMatchObject({ outcome: 'refused' });
    expect(interpretProbe(http, 28, '', 500)).toMatchObject({ outcome: 'timed-out', detail: 'HTTP GET http://203.0.113.2:8080/ from internet: no answer within 250 ms' });
    expect(interpretProbe(http, 28, 'hel', 2000)).toMatchObject({ outcome: 'timed-out', detail: 'HTTP GET http://203.0.113.2:8080/ from internet: connected, but no whole answer within 2 s' });
  });
  it('reads a batch back in request order', () => {
    const reqs = [ping, { kind: 'shell' as const, script: 'false' }];
    const out = '\x1eprobe 1\nboom\n\x1erc 1 2000\n\x1eprobe 0\n\n\x1erc 0 1500\n';
    expect(parseBatchOutput(reqs, out).map((r) => [r?.outcome, r?.durationMs])).toEqual([['ok', 1.5], ['failed', 2]]);
    expect(batchProbeScript(reqs)).toContain('nsenter --net=');
  });
});

describe('probes in a real sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox();
    const r = await sandbox.run(`set -e
ip netns add fox
ip link add vnet-animals type bridge; ip link set vnet-animals up; ip addr add 192.168.202.1/24 dev vnet-animals
ip link add veth-fox type veth peer name veth-fox-br; ip link set veth-fox netns fox; ip link set veth-fox-br master vnet-animals up
ip -n fox link set lo up; ip -n fox link set veth-fox up; ip -n fox addr add 192.168.202.11/24 dev veth-fox
ip -n fox route add default via 192.168.202.1
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE`);
    expect(r.stderr).toBe('');
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('pings, connects and fetches from a namespace, the host and the internet side', async () => {
    expect(await probeReach(sandbox, { from: 'fox', to: '198.51.100.10' })).toMatchObject({ outcome: 'ok' });
    expect(await probeReach(sandbox, { from: 'internet', to: '192.168.202.11' })).toMatchObject({ outcome: 'unreachable' });
    expect(await probeReach(sandbox, { from: 'fox', to: '198.51.100.10', port: 81 })).toMatchObject({ outcome: 'refused' });
    const http = await probeReach(sandbox, { from: 'fox', to: '198.51.100.10', http: {} });
    expect(http).toMatchObject({ outcome: 'ok', detail: 'HTTP GET http://198.51.100.10:80/ from fox: HTTP 200' });
    expect(http.output).toBe('hello from the internet (198.51.100.10)\nyou came from 203.0.113.2\n');
    expect(await probeReach(sandbox, { from: 'wolf', to: '198.51.100.10' })).toMatchObject({ outcome: 'no-source' });
  });

  it('an unanswered probe leaves no INCOMPLETE neighbour entry behind to delay the next ping', async () => {
    expect(await probeReach(sandbox, { from: 'fox', to: '192.168.202.99' })).toMatchObject({ outcome: 'no-reply' });
    const neigh = await sandbox.run('ip -n fox neigh show 192.168.202.99');
    expect(neigh.stdout).toBe('');
  });

  it('evaluates a step end to end: snapshot, probes in one batch, the pure judgement', async () => {
    const text = lessonWith(
      [
        '  - {name: fox is up, in: fox, link: veth-fox, up: true, message: down}',
        '  - {name: masquerade, rule: {table: nat, chain: POSTROUTING, source: 192.168.202.0/24, out: "!vnet-animals", target: MASQUERADE}, message: none}',
        '  - {name: fox reaches the internet, reach: 198.51.100.10, from: fox, http: true, body: you came from 203.0.113.2, message: no}',
        '  - {name: the internet cannot reach fox, reach: 192.168.202.11, from: internet, fails: true, message: it can}',
        '  - {name: a sysctl outside the snapshot, in: fox, sysctl: net.ipv4.ip_default_ttl, value: 64, message: no}',
        '  - {name: ip_forward, sysctl: net.ipv4.ip_forward, value: 1, message: off}',
      ].join('\n'),
    );
    const step = parseLesson(text, 't.md').steps[0]!;
    const evaluation = await evaluateStep(sandbox, step);
    expect(evaluation.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(evaluation).toMatchObject({ lessonId: 't', stepId: 'step-one', passed: true });
  });

  it('a name in /run/netns that is not a namespace: every check about it fails and says so', async () => {
    // `ip netns add` inside `ip netns exec` binds the namespace in that command's private mount
    // namespace only: the sandbox keeps an empty /run/netns/bear. `touch` makes another.
    const r = await sandbox.run('ip netns exec fox ip netns add bear && touch /run/netns/owl && ip netns list');
    expect(r.stdout).toMatch(/\bbear\b/);
    const step = parseLesson(
      lessonWith(
        [
          '  - {name: bear exists, netns: bear, message: There is no namespace bear.}',
          '  - {name: lo is up in bear, in: bear, link: lo, up: true, message: lo is down in bear.}',
          '  - {name: bear reaches itself, reach: 127.0.0.1, from: bear, message: no answer}',
        ].join('\n'),
      ),
      't.md',
    ).steps[0]!;
    const evaluation = await evaluateStep(sandbox, step);
    expect(evaluation.passed).toBe(false);
    for (const result of evaluation.results) {
      expect(result.status, result.name).toBe('fail');
      expect(result.message, result.name).toMatch(/^\/run\/netns\/bear exists, but it is not a network namespace: .*`ip netns del bear && ip netns add bear`/);
    }
    // a probe alone (no snapshot taken) finds it out too, from nsenter's refusal
    const probe = await probeReach(sandbox, { from: 'owl', to: '127.0.0.1' });
    expect(probe).toMatchObject({ outcome: 'no-source', detail: expect.stringMatching(/^\/run\/netns\/owl exists, but it is not a network namespace/) });
    // the fix the message gives works
    await sandbox.run('ip netns del bear && ip netns add bear && ip -n bear link set lo up');
    expect((await evaluateStep(sandbox, step)).results.map((x) => x.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it("the tutor's checks leave no line in the learner's server log (lesson 7's first step, evaluated again and again)", async () => {
    // the learner's server and the learner's one request, as lesson 7 has them
    const started = await sandbox.run(`grep -qw "$(hostname)" /etc/hosts || echo "127.0.1.1 $(hostname)" >> /etc/hosts
mkdir -p /root/fox-www; echo 'hello from fox' > /root/fox-www/index.html
ip netns exec fox python3 -m http.server 80 --directory /root/fox-www >/root/fox-http.log 2>&1 &
for i in $(seq 250); do ip netns exec fox ss -ltn | grep -q ':80 ' && break; sleep 0.02; done
curl -s http://192.168.202.11/`);
    expect(started.stdout).toBe('hello from fox\n');
    const logLines = async () => (await sandbox.run('cat /root/fox-http.log')).stdout.split('\n').filter((l) => l.includes('"GET '));
    expect(await logLines()).toHaveLength(1);
    const course = await loadCourse(join(import.meta.dirname, '..', 'lessons'));
    const step = course.lessons.find((l) => l.id === 'dnat')!.steps[0]!;
    for (let i = 0; i < 5; i++) expect((await evaluateStep(sandbox, step)).passed).toBe(true);
    // five evaluations of a step that proves fox serves its page: still only the learner's line
    expect(await logLines()).toHaveLength(1);
    // an HTTP probe would have written one (the reason the step connects instead)
    await probeReach(sandbox, { from: 'host', to: '192.168.202.11', http: {} });
    expect(await logLines()).toHaveLength(2);
  });

  it('sends a GET once per command: re-checks meanwhile only connect, yet see a server that stopped', async () => {
    const started = await sandbox.run(`mkdir -p /root/memo-www; echo 'hello from memo' > /root/memo-www/index.html
ip netns exec fox python3 -m http.server 8081 --directory /root/memo-www >/root/memo-http.log 2>&1 &
for i in $(seq 250); do ip netns exec fox ss -ltn | grep -q ':8081 ' && break; sleep 0.02; done`);
    expect(started.exitCode).toBe(0);
    const gets = async () => (await sandbox.run('cat /root/memo-http.log')).stdout.split('\n').filter((l) => l.includes('"GET ')).length;
    const step = parseLesson(lessonWith('  - {name: fox serves, reach: 192.168.202.11, port: 8081, http: true, body: hello from memo, message: no}'), 't.md').steps[0]!;
    const memo = createProbeMemo();
    // the tutor's re-checks after one command: after a command and every 2 s while idle
    for (let i = 0; i < 4; i++) expect((await evaluateStep(sandbox, step, { memo })).passed).toBe(true);
    expect(await gets()).toBe(1);
    // a command ran (it might have changed the page): the next re-check fetches it again
    memo.forget();
    await sandbox.run("echo 'changed' > /root/memo-www/index.html");
    const changed = await evaluateStep(sandbox, step, { memo });
    expect(changed.passed).toBe(false);
    expect(changed.results[0]!.evidence).toContain('does not contain "hello from memo"');
    expect(await gets()).toBe(2);
    await sandbox.run("echo 'hello from memo' > /root/memo-www/index.html");
    memo.forget();
    expect((await evaluateStep(sandbox, step, { memo })).passed).toBe(true);
    expect(await gets()).toBe(3);
    // the server stops with no command typed here (another terminal): the connect sees it
    await sandbox.run("kill $(ip netns pids fox) && for i in $(seq 250); do ip netns exec fox ss -ltn | grep -q ':8081 ' || break; sleep 0.02; done");
    const stopped = await evaluateStep(sandbox, step, { memo });
    expect(stopped.results[0]).toMatchObject({ status: 'fail', evidence: 'HTTP GET http://192.168.202.11:8081/ from host: connection refused' });
  });

  it("diagnose's probe and the checks' are one: a path probe from the internet side", async () => {
    const [r] = await probePaths(sandbox, [{ from: 'internet', to: { address: '203.0.113.2', port: 9 } }], { outsideSandbox: 'allow', neighbours: 'keep' });
    expect(r).toMatchObject({ outcome: 'refused', tried: 'TCP 203.0.113.2:9 from internet', command: "nsenter --net=/run/tutor/upstream timeout 0.5 bash -c 'exec 3<>/dev/tcp/203.0.113.2/9'" });
  });

  it('refuses to probe from the real host', async () => {
    const host = createLocalRunner();
    const outside = { ...host, run: (s: string) => host.run(s, { env: { NETNS_TUTOR_SANDBOX: '' } }) };
    // loopback only: were the guard broken, nothing would leave this machine
    const req = { kind: 'reach' as const, from: 'host', to: '127.0.0.1' };
    const results = await runProbes(outside, [req, { kind: 'shell', script: 'touch /tmp/netns-tutor-must-not-exist' }]);
    expect(results[probeKey(req)]).toMatchObject({ outcome: 'skipped' });
    expect(results[probeKey({ kind: 'shell', script: 'touch /tmp/netns-tutor-must-not-exist' })]).toMatchObject({ outcome: 'skipped' });
  });
});
