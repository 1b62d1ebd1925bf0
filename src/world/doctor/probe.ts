// The doctor's eyes: finds the tools on the PATH the sandbox uses, asks each for its version,
// looks for the CNI plugins and br_netfilter, and tries the kernel capabilities inside a throwaway
// sandbox (never on the host). Returns plain data for evaluateDoctor.
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError } from '../../domain/errors.js';
import { runArgv } from '../exec/runner.js';
import type { RunResult } from '../exec/types.js';
import { SANDBOX_PATH } from '../sandbox/argv.js';
import { createSandbox } from '../sandbox/sandbox.js';
import { CAPABILITIES, CNI, TOOLS } from '../../domain/doctor/catalog.js';
import type { CapabilityId, CapabilityProbe, ProbeResults, ToolProbe } from '../../domain/doctor/types.js';
import { TUTOR_DIR } from '../../domain/sandbox-layout.js';

const VERSION_FLAG: Record<string, string> = { ip: '-V', ping: '-V' };

/** The directories the sandbox's PATH searches (what lessons will find), not this shell's PATH. */
const SEARCH_DIRS = SANDBOX_PATH.split(':').filter((d) => !d.startsWith(TUTOR_DIR));

function findCommand(name: string): string | undefined {
  for (const dir of SEARCH_DIRS) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);

/** Signals a program dies of when it is broken, not when it disagrees with its arguments. */
const CRASH_SIGNALS: Record<number, string> = { 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV' };

/** Why a command that is on the PATH does not run, from how its version query ended; undefined
 *  when it ran (a tool may well refuse the version option and still work: busybox ping -V). */
export function whyBroken(r: Pick<RunResult, 'outcome' | 'exitCode' | 'stderr'>, argv: readonly string[]): string | undefined {
  const said = firstLine(r.stderr);
  // execa's message ends with the system's reason ("spawn /usr/sbin/ip EACCES")
  if (r.outcome === 'failed-to-start') return `it cannot be started (${firstLine(r.stderr.split('\n').reverse().join('\n')) ?? 'no reason given'})`;
  if (r.outcome === 'timed-out') return `\`${argv.join(' ')}\` did not finish within 5 s`;
  if (r.exitCode === 126 || r.exitCode === 127) return `\`${argv.join(' ')}\` exited ${r.exitCode}${said ? `: ${said}` : ''}`;
  const signal = CRASH_SIGNALS[r.exitCode - 128];
  if (signal) return `\`${argv.join(' ')}\` crashed (${signal})${said ? `: ${said}` : ''}`;
  return undefined;
}

async function probeTool(name: string): Promise<ToolProbe> {
  const path = findCommand(name);
  if (!path) return {};
  const argv = [path, VERSION_FLAG[name] ?? '--version'];
  const r = await runArgv(argv, { timeoutMs: 5000 });
  const broken = whyBroken(r, argv);
  if (broken) return { path, broken };
  const version = firstLine(`${r.stdout}\n${r.stderr}`);
  return version && r.exitCode === 0 ? { path, version: version.length > 60 ? `${version.slice(0, 59)}…` : version } : { path };
}

function probeCni(): ProbeResults['cni'] {
  for (const dir of CNI.dirs) {
    if (!existsSync(dir)) continue;
    try {
      return { dir, plugins: readdirSync(dir).filter((f) => CNI.plugins.includes(f)) };
    } catch {
      // unreadable: try the next
    }
  }
  return { plugins: [] };
}

/** Each capability's attempt, printed as `cap ID ok|failed MSG|untested WHY`; then what a new
 *  namespace's bridge-nf-call-iptables is. */
export const CAPABILITY_SCRIPT = String.raw`
try() {
  id=$1 tool=$2; shift 2
  if ! command -v "$tool" >/dev/null; then echo "cap $id untested $tool is not installed"; return; fi
  if out=$("$@" 2>&1); then echo "cap $id ok"; else echo "cap $id failed $(printf '%s' "$out" | head -n1)"; fi
}
try netns ip sh -c 'ip netns add nt-doctor && ip netns exec nt-doctor ip link set lo up'
try veth ip ip link add nt-doctor-a type veth peer name nt-doctor-b
try bridge ip ip link add nt-doctor-br type bridge
try nft-nat nft sh -c "nft add table ip nt_doctor && nft add chain ip nt_doctor post '{ type nat hook postrouting priority 100; }' && nft add rule ip nt_doctor post ip saddr 10.99.0.0/24 masquerade"
try iptables-nat iptables iptables -t nat -A POSTROUTING -s 10.98.0.0/24 -j MASQUERADE
try conntrack conntrack conntrack -L
echo "brnf $(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo absent)"
`;

export function parseCapabilityOutput(stdout: string): { capabilities: Partial<Record<CapabilityId, CapabilityProbe>>; brnf?: string } {
  const capabilities: Partial<Record<CapabilityId, CapabilityProbe>> = {};
  const known = new Set<string>(CAPABILITIES.map((c) => c.id));
  let brnf: string | undefined;
  for (const line of stdout.split('\n')) {
    const cap = /^cap (\S+) (ok|failed|untested) ?(.*)$/.exec(line);
    if (cap && known.has(cap[1]!)) {
      const id = cap[1] as CapabilityId;
      const rest = cap[3] ?? '';
      capabilities[id] = cap[2] === 'ok' ? { status: 'ok' } : cap[2] === 'failed' ? { status: 'failed', error: rest || 'failed' } : { status: 'untested', why: rest };
    }
    const b = /^brnf (\S+)$/.exec(line);
    if (b && b[1] !== 'absent') brnf = b[1];
  }
  return { capabilities, ...(brnf ? { brnf } : {}) };
}

async function probeInSandbox(): Promise<Pick<ProbeResults, 'sandbox' | 'capabilities'> & { brnf?: string }> {
  let sandbox;
  try {
    sandbox = await createSandbox({ internet: false });
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const next = e instanceof AbortError ? e.next : undefined;
    return { sandbox: { created: false, error, ...(next ? { next } : {}), usernsDenied: /user namespaces/.test(next ?? '') }, capabilities: {} };
  }
  try {
    const r = await sandbox.run(CAPABILITY_SCRIPT, { timeoutMs: 15_000 });
    return { sandbox: { created: true, mode: sandbox.mode, identity: sandbox.identity }, ...parseCapabilityOutput(r.stdout) };
  } finally {
    await sandbox.dispose();
  }
}

export async function probeMachine(): Promise<ProbeResults> {
  const commands = [...new Set(TOOLS.flatMap((t) => t.commands))];
  const [versions, inSandbox] = await Promise.all([Promise.all(commands.map(probeTool)), probeInSandbox()]);
  const loaded = existsSync('/proc/sys/net/bridge') || existsSync('/sys/module/br_netfilter');
  return {
    node: process.version,
    isRoot: process.getuid?.() === 0,
    tools: Object.fromEntries(commands.map((c, i) => [c, versions[i]!])),
    cni: probeCni(),
    sandbox: inSandbox.sandbox,
    capabilities: inSandbox.capabilities,
    brNetfilter: { loaded, ...(inSandbox.brnf ? { callIptables: inSandbox.brnf } : {}) },
  };
}
