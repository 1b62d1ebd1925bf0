// The course's checks are honest: common mistakes, run as written in a fresh sandbox at the state
// before their step, leave that step's checks failing (the ones named here, with the evidence named
// here); the corrected commands (often the fix a hint prints) make every check pass. Real
// sandboxes, real kernel, nothing faked.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateStep } from '../src/app/checks/evaluate-step.js';
import type { Course, StepEvaluation } from '../src/domain/lesson/types.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { prepareState } from '../src/app/course/replay.js';
import { createSandbox } from '../src/world/sandbox/sandbox.js';

interface SeedBug {
  /** The mistake. */
  bug: string;
  lesson: string;
  step: string;
  /** Run instead of the step's solution, as a learner might. */
  buggy: string;
  /** Checks (by name) that must fail after the buggy commands. */
  fails: string[];
  /** Words the evidence of a failing check (by name) must contain after the buggy commands. */
  evidence?: Record<string, string>;
  /** The corrected commands: afterwards every check of the step holds. */
  corrected: string;
}

const upstream = 'nsenter --net=/run/tutor/upstream';
/** A DNAT rule, then the page fetched as the internet does (fox's log gets the request). */
const fetchAsInternet = (rule: string) => `${rule}; ${upstream} curl -s http://203.0.113.2/`;
const masquerade = 'iptables -t nat -A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE';
const countOut = `iptables -A FORWARD -s 192.168.202.0/24 -o eth0 -m comment --comment "lab: out to the internet"`;
const countBack = (target: string) => `iptables -A FORWARD -d 192.168.202.0/24 -i eth0 -m comment --comment "lab: back from the internet"${target}`;
const foxPings = 'ip netns exec fox ping -c3 -i 0.2 -W1 198.51.100.10';
const foxCable = (hostEnd: string, upHostEnd = true) => `
  ip link add veth-fox type veth peer name veth-fox-br
  ip link set veth-fox netns fox
  ip link set ${hostEnd} master vnet-animals
  ${upHostEnd ? `ip link set ${hostEnd} up` : ''}
  ip -n fox addr add 192.168.202.11/24 dev veth-fox
  ip -n fox link set veth-fox up`;
const bearCable = (address: string) => `
  ip link add veth-bear type veth peer name veth-bear-br
  ip link set veth-bear netns bear
  ip link set veth-bear-br master vnet-animals
  ip link set veth-bear-br up
  ip -n bear addr add ${address} dev veth-bear
  ip -n bear link set veth-bear up`;
const serviceChains = (hooks: string[]) => `
  ip netns exec node1 iptables -t nat -N KUBE-SERVICES
  ${hooks.map((chain) => `ip netns exec node1 iptables -t nat -A ${chain} -j KUBE-SERVICES`).join('\n')}
  ip netns exec node1 iptables -t nat -N KUBE-SEP-WEB-POD2
  ip netns exec node1 iptables -t nat -A KUBE-SEP-WEB-POD2 -p tcp -j DNAT --to-destination 10.200.2.2:8080
  ip netns exec node1 iptables -t nat -N KUBE-SVC-WEB
  ip netns exec node1 iptables -t nat -A KUBE-SVC-WEB -j KUBE-SEP-WEB-POD2
  ip netns exec node1 iptables -t nat -A KUBE-SERVICES -d 10.96.50.50/32 -p tcp --dport 80 -j KUBE-SVC-WEB`;
const secondEndpoint = (svcRules: string) => `
  ip netns exec node1 iptables -t nat -N KUBE-SEP-WEB-POD3
  ip netns exec node1 iptables -t nat -A KUBE-SEP-WEB-POD3 -p tcp -j DNAT --to-destination 10.200.2.3:8080
  ip netns exec node1 iptables -t nat -F KUBE-SVC-WEB
  ${svcRules}`;

const bugs: SeedBug[] = [
  {
    bug: 'uses a namespace without `ip netns add`',
    lesson: 'namespaces', step: 'make-a-namespace',
    buggy: 'ip netns exec fox ip link set lo up',
    fails: ['fox exists'],
    corrected: 'ip netns add fox',
  },
  {
    bug: 'makes two cables, one end of each, instead of one cable with both ends',
    lesson: 'veth-pair', step: 'a-virtual-cable',
    buggy: 'ip link add veth-fox type veth peer name veth-a; ip link add veth-bear type veth peer name veth-b',
    fails: ['one end, veth-fox'],
    corrected: 'ip link add veth-fox type veth peer name veth-bear',
  },
  {
    bug: "gives bear's address no /24",
    lesson: 'veth-pair', step: 'addresses-with-their-24',
    buggy: 'ip -n fox addr add 192.168.202.11/24 dev veth-fox; ip -n bear addr add 192.168.202.12 dev veth-bear',
    fails: ['bear is 192.168.202.12/24'],
    corrected: 'ip -n fox addr add 192.168.202.11/24 dev veth-fox; ip -n bear addr add 192.168.202.12/24 dev veth-bear',
  },
  {
    bug: 'plugs in veth-red-br, which does not exist',
    lesson: 'bridge', step: 'fox-s-cable-to-the-switch',
    buggy: foxCable('veth-red-br'),
    fails: ['veth-fox-br is a port of vnet-animals', 'veth-fox is in fox and up'],
    corrected: foxCable('veth-fox-br'),
  },
  {
    bug: "never switches on the host end of fox's cable",
    lesson: 'bridge', step: 'fox-s-cable-to-the-switch',
    buggy: foxCable('veth-fox-br', false),
    fails: ['veth-fox-br is a port of vnet-animals', 'veth-fox is in fox and up'],
    corrected: foxCable('veth-fox-br'),
  },
  {
    bug: "gives bear's bridge address no /24 (a /32: no way back to fox)",
    lesson: 'bridge', step: 'bear-s-cable-and-fox-meets-bear',
    buggy: bearCable('192.168.202.12'),
    fails: ['bear is 192.168.202.12/24', 'fox reaches bear through the bridge', 'bear reaches fox through the bridge'],
    corrected: bearCable('192.168.202.12/24'),
  },
  {
    bug: 'puts the gateway on veth-animals, which does not exist',
    lesson: 'bridge', step: 'the-gateway-lives-on-the-bridge',
    buggy: 'ip addr add 192.168.202.1/24 dev veth-animals',
    fails: ['the gateway address is on vnet-animals', 'fox reaches the gateway', 'bear reaches the gateway'],
    corrected: 'ip addr add 192.168.202.1/24 dev vnet-animals',
  },
  {
    bug: 'gives fox the default route a second time and bear none',
    lesson: 'routing', step: 'a-default-route-for-bear',
    buggy: 'ip -n fox route add default via 192.168.202.1',
    fails: ['bear has a default route via the gateway', "bear reaches the host's uplink address"],
    corrected: 'ip -n bear route add default via 192.168.202.1',
  },
  {
    bug: 'gives a counting rule a target (-j DROP), so it does more than count',
    lesson: 'routing', step: 'count-the-packets-out-but-never-back',
    buggy: `${countOut}; ${countBack(' -j DROP')}; ${foxPings}`,
    fails: ['the counters only count'],
    // the check's hint: delete it with -D and the same words, add it again without -j
    corrected: `${countOut}; ${countBack(' -j DROP')}; ${countBack(' -j DROP').replace('-A', '-D')}; ${countBack('')}; ${foxPings}`,
  },
  {
    bug: 'writes `ip tables` for iptables',
    lesson: 'nat', step: 'masquerade-what-leaves-the-bridge',
    buggy: `ip ${masquerade.replace('iptables', 'tables')}`,
    fails: ['a MASQUERADE rule for what leaves the bridge', 'fox reaches the internet', 'bear reaches the internet'],
    corrected: masquerade,
  },
  {
    bug: 'forgets MASQUERADE (forwarding alone)',
    lesson: 'nat', step: 'masquerade-what-leaves-the-bridge',
    buggy: 'sysctl -w net.ipv4.ip_forward=1',
    fails: ['a MASQUERADE rule for what leaves the bridge', 'fox reaches the internet'],
    corrected: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
  },
  {
    bug: 'masquerades with forwarding switched off',
    lesson: 'nat', step: 'masquerade-what-leaves-the-bridge',
    buggy: `sysctl -w net.ipv4.ip_forward=0; ${masquerade}`,
    fails: ['fox reaches the internet', 'bear reaches the internet'],
    corrected: `sysctl -w net.ipv4.ip_forward=1; ${masquerade}`,
  },
  {
    bug: 'masquerades traffic into the bridge instead of out of it',
    lesson: 'nat', step: 'masquerade-what-leaves-the-bridge',
    buggy: masquerade.replace('! -o', '-o'),
    fails: ['a MASQUERADE rule for what leaves the bridge', 'nothing masquerades traffic into the bridge', 'fox reaches the internet', 'bear reaches the internet'],
    // the check's hint: delete it with -D and the same words, then add the right one
    corrected: `${masquerade.replace('! -o', '-o')}; ${masquerade.replace('! -o', '-o').replace('-A', '-D')}; ${masquerade}`,
  },
  {
    bug: 'masquerades without the scope, which would hide fox from bear on a br_netfilter host',
    lesson: 'nat', step: 'masquerade-what-leaves-the-bridge',
    buggy: masquerade.replace('! -o vnet-animals ', ''),
    fails: ['a MASQUERADE rule for what leaves the bridge', 'no MASQUERADE rule without an -o scope'],
    corrected: 'iptables -t nat -A POSTROUTING -s 192.168.202.0/24 -o eth0 -j MASQUERADE',
  },
  {
    bug: 'adds an unscoped MASQUERADE beside the right one',
    lesson: 'nat', step: 'masquerade-what-leaves-the-bridge',
    buggy: `${masquerade}; ${masquerade.replace('! -o vnet-animals ', '')}`,
    fails: ['no MASQUERADE rule without an -o scope'],
    // the check's hint: delete it with -D and the same words
    corrected: `${masquerade}; ${masquerade.replace('! -o vnet-animals ', '')}; ${masquerade.replace('! -o vnet-animals ', '').replace('-A', '-D')}`,
  },
  {
    bug: 'types the address without its prefix, then adds it again with /24 beside the /32',
    lesson: 'host', step: 'addresses',
    buggy: 'ip addr add 10.9.9.1 dev lab0; ip addr add 10.9.9.1/24 dev lab0',
    fails: ['lab0 has 10.9.9.1/24'],
    evidence: { 'lab0 has 10.9.9.1/24': '10.9.9.1/32 on lab0' },
    // the check's hint
    corrected: 'ip addr add 10.9.9.1 dev lab0; ip addr del 10.9.9.1/32 dev lab0; ip addr add 10.9.9.1/24 dev lab0',
  },
  {
    bug: 'starts the web server without --bind, listening on every address',
    lesson: 'host', step: 'who-is-listening',
    buggy: `python3 -m http.server 8080 --directory /root >/dev/null 2>&1 &
      for i in $(seq 250); do ss -ltn | grep -q ':8080 ' && break; sleep 0.02; done`,
    fails: ['only the loopback answers'],
    // the check's hint: stop it, start it again with --bind
    corrected: `python3 -m http.server 8080 --directory /root >/dev/null 2>&1 &
      for i in $(seq 250); do ss -ltn | grep -q ':8080 ' && break; sleep 0.02; done
      kill %1; wait
      python3 -m http.server 8080 --bind 127.0.0.1 --directory /root >/dev/null 2>&1 &
      for i in $(seq 250); do ss -ltn | grep -q '127.0.0.1:8080 ' && break; sleep 0.02; done`,
  },
  {
    bug: "forwards port 80 to fox's port 8080, where nothing listens",
    lesson: 'dnat', step: 'publish-it-on-the-uplink',
    buggy: `iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:8080; ${upstream} curl -s --max-time 2 http://203.0.113.2/`,
    fails: ['TCP port 80 is forwarded to fox', "the internet connects to the host's port 80", "fox saw the internet's address"],
    corrected: fetchAsInternet('iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11'),
  },
  {
    bug: "publishes port 8000 on bear's port 8000 (the port left unchanged)",
    lesson: 'dnat', step: 'another-port-bear-the-docker-p-way',
    buggy: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8000 -j DNAT --to-destination 192.168.202.12',
    fails: ['TCP port 8000 is forwarded to bear', "the internet gets bear's page on port 8000"],
    corrected: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8000 -j DNAT --to-destination 192.168.202.12:8080',
  },
  {
    bug: 'switches forwarding on in the host instead of in the nodes',
    lesson: 'pod-network', step: 'forwarding-on-and-pods-still-cannot-cross',
    buggy: 'sysctl -w net.ipv4.ip_forward=1',
    fails: ['node1 forwards', 'node2 forwards'],
    evidence: { 'node1 forwards': 'net.ipv4.ip_forward is 1 in the host; the step wants it in node1' },
    corrected: 'ip netns exec node1 sysctl -w net.ipv4.ip_forward=1; ip netns exec node2 sysctl -w net.ipv4.ip_forward=1',
  },
  {
    bug: "writes the service rules into the host's nat table (iptables without ip netns exec node1)",
    lesson: 'services', step: 'a-clusterip-with-one-endpoint',
    buggy: serviceChains(['PREROUTING', 'OUTPUT']).replaceAll('ip netns exec node1 ', ''),
    fails: ['KUBE-SERVICES sends 10.96.50.50:80 to the service chain', "pods' packets enter KUBE-SERVICES", 'pod1 reaches the ClusterIP'],
    evidence: { 'KUBE-SERVICES sends 10.96.50.50:80 to the service chain': "this rule is in the host's nat table; the step wants it in node1" },
    corrected: serviceChains(['PREROUTING', 'OUTPUT']),
  },
  {
    bug: 'writes the DNAT without -p tcp',
    lesson: 'dnat', step: 'publish-it-on-the-uplink',
    buggy: fetchAsInternet('iptables -t nat -A PREROUTING -i eth0 --dport 80 -j DNAT --to-destination 192.168.202.11:80'),
    fails: ['TCP port 80 is forwarded to fox', "the internet connects to the host's port 80", "fox saw the internet's address"],
    corrected: fetchAsInternet('iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'),
  },
  {
    bug: 'puts the DNAT target options before -j',
    lesson: 'dnat', step: 'publish-it-on-the-uplink',
    buggy: fetchAsInternet('iptables -t nat -A PREROUTING --to-destination 192.168.202.11:80 -i eth0 -p tcp --dport 80 -j DNAT'),
    fails: ['TCP port 80 is forwarded to fox', "the internet connects to the host's port 80"],
    corrected: fetchAsInternet('iptables -t nat -I PREROUTING -p tcp --dport 80 -i eth0 -j DNAT --to-destination 192.168.202.11:80'),
  },
  {
    bug: "publishes port 80 without -i eth0, which also hijacks fox's own web requests",
    lesson: 'dnat', step: 'publish-it-on-the-uplink',
    buggy: fetchAsInternet('iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80'),
    fails: ['fox still reaches web servers on the internet'],
    corrected: fetchAsInternet('iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11'),
  },
  {
    bug: "sends every web request the host makes to fox (OUTPUT without -d)",
    lesson: 'dnat', step: 'the-host-s-own-request',
    buggy: 'iptables -t nat -A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80',
    fails: ['the host still reaches web servers on the internet'],
    corrected: 'iptables -t nat -A OUTPUT -d 203.0.113.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80',
  },
  {
    bug: "expects PREROUTING to catch the host's own request",
    lesson: 'dnat', step: 'the-host-s-own-request',
    buggy: 'iptables -t nat -A PREROUTING -d 203.0.113.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80',
    fails: ["the host's own requests go to fox", 'the host connects to its own uplink address, port 80'],
    corrected: 'iptables -t nat -A OUTPUT -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80',
  },
  {
    bug: 'routes pod traffic between nodes one way only',
    lesson: 'pod-network', step: 'routes-between-the-nodes',
    buggy: 'ip -n node1 route add 10.200.2.0/24 via 10.0.0.2',
    fails: ["node2 routes node1's podCIDR", 'pod1 reaches pod2', 'pod2 reaches pod1'],
    corrected: 'ip -n node1 route add 10.200.2.0/24 via 10.0.0.2; ip -n node2 route add 10.200.1.0/24 via 10.0.0.1',
  },
  {
    bug: 'reads podCIDR with the common jq one-liner',
    lesson: 'services', step: 'read-each-node-s-podcidrs',
    buggy: `jq -r '.items[] | "\\(.metadata.name)=\\(.spec.podCIDR // "")"' /root/nodes.json > /root/podcidrs.tsv`,
    fails: ["node1's dual-stack podCIDRs", 'node3 says it has none'],
    corrected: `jq -r '.items[] | [.metadata.name, ([.status.addresses[] | select(.type == "InternalIP") | .address] | join(",")), ((.spec.podCIDRs // [.spec.podCIDR // empty]) | if length == 0 then "(none)" else join(",") end)] | @tsv' /root/nodes.json > /root/podcidrs.tsv`,
  },
  {
    bug: "hooks KUBE-SERVICES into OUTPUT only, so pods' packets never see it",
    lesson: 'services', step: 'a-clusterip-with-one-endpoint',
    buggy: serviceChains(['OUTPUT']),
    fails: ["pods' packets enter KUBE-SERVICES", 'pod1 reaches the ClusterIP'],
    corrected: serviceChains(['PREROUTING', 'OUTPUT']),
  },
  {
    bug: 'puts the catch-all endpoint rule first, so the second endpoint never gets traffic',
    lesson: 'services', step: 'spread-over-two-endpoints',
    buggy: secondEndpoint(`
      ip netns exec node1 iptables -t nat -A KUBE-SVC-WEB -j KUBE-SEP-WEB-POD2
      ip netns exec node1 iptables -t nat -A KUBE-SVC-WEB -m statistic --mode random --probability 0.5 -j KUBE-SEP-WEB-POD3`),
    fails: ['the first endpoint is picked half the time', 'both backends answer'],
    corrected: secondEndpoint(`
      ip netns exec node1 iptables -t nat -A KUBE-SVC-WEB -m statistic --mode random --probability 0.5 -j KUBE-SEP-WEB-POD2
      ip netns exec node1 iptables -t nat -A KUBE-SVC-WEB -j KUBE-SEP-WEB-POD3`),
  },
];

const hostState = () => execFileSync('bash', ['-c', 'ip -br link; ip -br addr; ip netns list; ip route'], { encoding: 'utf8' });

/** At most this many sandboxes at once: a loaded machine makes probes slow and flaky. */
const SANDBOXES_AT_ONCE = 4;
let running = 0;
const waiting: Array<() => void> = [];
async function withSandboxSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= SANDBOXES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** A fresh sandbox at the state before the step, then `commands`, then the step's checks. */
function tryCommands(course: Course, c: SeedBug, commands: string): Promise<StepEvaluation> {
  return withSandboxSlot(() => tryCommandsNow(course, c, commands));
}

async function tryCommandsNow(course: Course, c: SeedBug, commands: string): Promise<StepEvaluation> {
  const lesson = course.lessons.find((l) => l.id === c.lesson);
  const index = lesson?.steps.findIndex((s) => s.id === c.step) ?? -1;
  const step = lesson?.steps[index];
  if (!step) throw new Error(`the course has no step ${c.lesson}/${c.step}`);
  const sandbox = await createSandbox();
  try {
    await prepareState(sandbox, course, c.lesson, { stepIndex: index });
    await sandbox.run(commands, { timeoutMs: 30_000 });
    // A check that cannot tell (status 'error', e.g. a probe whose output was lost) is neither a
    // pass nor a fail: ask again rather than let it decide the test either way.
    let evaluation = await evaluateStep(sandbox, step);
    for (let i = 0; i < 2 && evaluation.results.some((r) => r.status === 'error'); i++) evaluation = await evaluateStep(sandbox, step);
    return evaluation;
  } finally {
    await sandbox.dispose();
  }
}

const withStatus = (e: StepEvaluation, status: string) => e.results.filter((r) => r.status === status).map((r) => r.name);
const notPassing = (e: StepEvaluation) => e.results.filter((r) => r.status !== 'pass').map((r) => r.name);

describe('common mistakes, run as written, fail the checks; corrected, they pass', () => {
  let course: Course;
  const before = hostState();
  beforeAll(async () => {
    course = await loadCourse(join(import.meta.dirname, '..', 'lessons'));
  });
  afterAll(() => {
    expect(hostState()).toBe(before);
  });

  it.concurrent.each(bugs)('$lesson/$step: $bug', async (c) => {
    const [buggy, corrected] = await Promise.all([tryCommands(course, c, c.buggy), tryCommands(course, c, c.corrected)]);
    expect(buggy.passed, `the buggy commands passed ${c.lesson}/${c.step}`).toBe(false);
    expect(withStatus(buggy, 'fail'), JSON.stringify(buggy.results)).toEqual(expect.arrayContaining(c.fails));
    for (const [name, words] of Object.entries(c.evidence ?? {})) {
      expect(buggy.results.find((r) => r.name === name)?.evidence, JSON.stringify(buggy.results)).toContain(words);
    }
    expect(notPassing(corrected), `the corrected commands left checks failing: ${JSON.stringify(corrected.results)}`).toEqual([]);
  }, 300_000);
});
