// The bash that runs each probe (ping, TCP connect, HTTP GET, shell check, sysctl read) and the
// reading of what it printed: the one probe stack, for checks and diagnose alike. Pure: builds
// text and parses text. Unless the caller says otherwise (diagnose --probe, which the user asked
// for), reachability and shell probes refuse to run outside a netns-tutor sandbox, so nothing is
// ever sent from the real host.
import { notANamespaceMessage } from '../../domain/checks/outcome.js';
import { quoteForShell } from '../../domain/shell-quote.js';
import type { ProbeOutcome, ProbeRequest, ProbeResult } from '../../domain/checks/probe-types.js';
import { enterPrefix, ipCommandIn, isNamespaceName, namespaceFile, namespaceRef, runIn, UPSTREAM_NAME } from '../../domain/sandbox-layout.js';

// Every answer inside a sandbox comes in well under a millisecond (veths, no wire); the waits are
// for a loaded machine (2 CPUs shared by a test run), where a late answer must not read as none.
/** ping's wait for its echo reply: the reply takes microseconds; a quarter second covers the
 *  scheduling delays of a loaded machine and stays below what a learner notices after a command. */
export const PING_TIMEOUT_S = 0.25;
/** A TCP connect's wait: longer than ping's, since it includes starting bash in the namespace
 *  (counted by `timeout`, which starts before it). */
export const TCP_TIMEOUT_S = 0.5;
/** HTTP: how long to wait for the connection (no answer fails this fast; counted by curl itself,
 *  after its start-up, so as short as ping's), and for a connected server's whole answer (a
 *  learner's python http.server may take a moment to start answering). */
export const HTTP_CONNECT_TIMEOUT_S = 0.25;
export const HTTP_TIMEOUT_S = 2;

/** The wait for an answer a check expects NOT to come (see ProbeRequest's `silence`): an answer
 *  that exists comes in microseconds, and every evaluation of a passing step pays this wait. */
const SILENCE_TIMEOUT_S = 0.1;

/** How the caller wants probes run. */
export interface ProbeOptions {
  /** 'refuse' (the default, for checks): outside a netns-tutor sandbox a reachability or shell
   *  probe is 'skipped', nothing is sent. 'allow': the user asked for a probe from this machine
   *  (`diagnose --probe`, or loopback). */
  outsideSandbox?: 'refuse' | 'allow';
  /** 'forget-failed' (the default, for checks): clear INCOMPLETE/FAILED neighbour entries before
   *  and after a failed probe (see probeScript). 'keep' (diagnose): they are evidence the
   *  diagnosis reads right after its probe. */
  neighbours?: 'forget-failed' | 'keep';
}

/** How long a probe waits: ping's reply, a TCP connect, curl's connect. */
export function probeWaits(req: { silence?: true }): { ping: number; tcp: number; connect: number } {
  return req.silence ? { ping: SILENCE_TIMEOUT_S, tcp: SILENCE_TIMEOUT_S, connect: SILENCE_TIMEOUT_S } : { ping: PING_TIMEOUT_S, tcp: TCP_TIMEOUT_S, connect: HTTP_CONNECT_TIMEOUT_S };
}

const RC_OUTSIDE = 90;
const RC_NO_NAMESPACE = 91;


/** The words that run a command (and `ip`) in namespace `name`, with a guard for its existence. */
function enter(name: string): { guard: string; prefix: string; ip: string } {
  const ns = namespaceRef(name);
  const file = namespaceFile(ns);
  if (file === undefined) return { guard: '', prefix: '', ip: 'ip' };
  if (ns.kind === 'named' && !isNamespaceName(name)) return { guard: `exit ${RC_NO_NAMESPACE}`, prefix: '', ip: 'ip' };
  return { guard: `[ -e ${quoteForShell(file)} ] || exit ${RC_NO_NAMESPACE}`, prefix: enterPrefix(ns), ip: ipCommandIn(ns) };
}

const SANDBOX_ONLY = `[ -n "\${NETNS_TUTOR_SANDBOX:-}" ] || exit ${RC_OUTSIDE}`;

/** A bash snippet that performs the probe; its exit status and output are read by interpretProbe. */
export function probeScript(req: ProbeRequest, options: ProbeOptions = {}): string {
  const sandboxOnly = options.outsideSandbox === 'allow' ? '' : SANDBOX_ONLY;
  switch (req.kind) {
    case 'sysctl': {
      const { guard, prefix } = enter(req.in);
      const path = `/proc/sys/${req.name.replace(/\./g, '/')}`;
      return [guard, `${prefix}cat ${quoteForShell(path)}`].filter(Boolean).join('\n');
    }
    case 'shell':
      return [sandboxOnly, `cd /root 2>/dev/null; bash -c ${quoteForShell(req.script)} </dev/null`].join('\n');
    case 'reach': {
      const { guard, prefix, ip } = enter(req.from);
      // A probe to an address nobody owns leaves an INCOMPLETE neighbour entry, and the kernel then
      // re-asks only once a second: a gateway fixed a moment later stays silent past a short
      // timeout, for our next probe and for the learner's own ping. So forget failed resolutions
      // before probing and again after (working entries stay): a probe leaves no such trace.
      const forget = options.neighbours === 'keep' ? '' : `${ip} neigh flush nud incomplete nud failed >/dev/null 2>&1`;
      const lines = [sandboxOnly, guard, forget];
      const wait = probeWaits(req);
      if (req.http) {
        const host = req.to.includes(':') ? `[${req.to}]` : req.to;
        const url = `http://${host}:${req.port ?? 80}${req.http.path}`;
        lines.push(`${prefix}curl -sS --connect-timeout ${wait.connect} --max-time ${HTTP_TIMEOUT_S} -o - -w '\\n%{http_code}' ${quoteForShell(url)}`);
      } else if (req.port !== undefined) {
        lines.push(`${prefix}timeout ${wait.tcp} bash -c ${quoteForShell(`exec 3<>/dev/tcp/${req.to}/${req.port}`)}`);
      } else {
        lines.push(`${prefix}ping -n -q -c1 -W ${wait.ping} ${quoteForShell(req.to)}`);
      }
      // a probe that got through left no failed resolution behind: only a failed one cleans up
      if (forget) lines.push(`nt_rc=$?; [ "$nt_rc" = 0 ] || ${forget}; exit $nt_rc`);
      return lines.filter(Boolean).join('\n');
    }
  }
}

type ReachRequest = Extract<ProbeRequest, { kind: 'reach' }>;

function describeTarget(req: ReachRequest): string {
  const what = req.http ? `HTTP GET http://${req.to}:${req.port ?? 80}${req.http.path}` : req.port !== undefined ? `TCP ${req.to}:${req.port}` : `ping ${req.to}`;
  return `${what} from ${req.from}`;
}

/** The probe as a person would type it in the sandbox's shell, to try it again. */
export function typedCommand(req: ReachRequest): string {
  const wait = probeWaits(req);
  const host = req.to.includes(':') ? `[${req.to}]` : req.to;
  const what = req.http
    ? `curl -sS --connect-timeout ${wait.connect} --max-time ${HTTP_TIMEOUT_S} http://${host}:${req.port ?? 80}${req.http.path}`
    : req.port !== undefined
      ? `timeout ${wait.tcp} bash -c 'exec 3<>/dev/tcp/${req.to}/${req.port}'`
      : `ping -c1 -W ${wait.ping} ${req.to}`;
  return runIn(namespaceRef(req.from), what);
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

/** Why a connection failed, from curl's or bash's words. */
function connectFailure(output: string): { outcome: ProbeOutcome; why: string } {
  if (/refused|Couldn't connect/i.test(output) && !/unreachable|No route/i.test(output)) return { outcome: 'refused', why: 'connection refused' };
  if (/Network is unreachable/i.test(output)) return { outcome: 'unreachable', why: 'network is unreachable (no route)' };
  if (/No route to host/i.test(output)) return { outcome: 'unreachable', why: 'no route to host' };
  return { outcome: 'failed', why: lastLine(output) || 'failed' };
}

function result(outcome: ProbeOutcome, detail: string, durationMs: number, output?: string): ProbeResult {
  return output !== undefined ? { outcome, detail, output, durationMs } : { outcome, detail, durationMs };
}

/** A reachability probe's result: `tried: why`, with the command that tries it again. */
function reachResult(req: ReachRequest, outcome: ProbeOutcome, why: string, durationMs: number, output?: string): ProbeResult {
  const tried = describeTarget(req);
  return { ...result(outcome, `${tried}: ${why}`, durationMs, output), tried, command: typedCommand(req) };
}

/** Reads a probe's exit status and output (stdout and stderr together). */
export function interpretProbe(req: ProbeRequest, exitCode: number, output: string, durationMs: number): ProbeResult {
  if (exitCode === RC_OUTSIDE) {
    return result('skipped', 'Reachability and shell checks run only inside a netns-tutor sandbox (nothing is sent from this host).', durationMs);
  }
  const ns = req.kind === 'reach' ? req.from : req.kind === 'sysctl' ? req.in : 'host';
  const noSource = req.kind === 'reach' ? 'no-source' : 'error';
  if (exitCode === RC_NO_NAMESPACE) {
    if (ns === UPSTREAM_NAME) return result(noSource, 'There is no simulated internet here to probe from.', durationMs);
    return result(noSource, `There is no network namespace ${ns}${req.kind === 'reach' ? ' to send from' : ''}.`, durationMs, `no namespace ${ns}: ${namespaceFile(namespaceRef(ns))} does not exist`);
  }
  // the name is in /run/netns, but nsenter cannot enter it: no namespace is behind the file
  const refused = exitCode !== 0 && namespaceRef(ns).kind === 'named' ? /^nsenter: reassociate to namespace .*failed: Invalid argument$/m.exec(output) : null;
  if (refused) return result(noSource, notANamespaceMessage(ns), durationMs, `${ns}: ${refused[0]}`);
  if (req.kind === 'sysctl') {
    return exitCode === 0
      ? result('ok', `${req.in}: ${req.name} = ${output.trim()}`, durationMs, output.trim())
      : result('error', `${req.in}: cannot read ${req.name} (${lastLine(output) || `exit ${exitCode}`})`, durationMs);
  }
  if (req.kind === 'shell') {
    const tail = lastLine(output);
    return result(exitCode === 0 ? 'ok' : 'failed', `exit ${exitCode}${tail ? `: ${tail.slice(0, 120)}` : ''}`, durationMs, output);
  }
  const wait = probeWaits(req);
  if (req.http) {
    // curl -w prints the status code on a last line of its own
    const marker = output.lastIndexOf('\n');
    const body = exitCode === 0 && marker >= 0 ? output.slice(0, marker) : output;
    const code = exitCode === 0 && marker >= 0 ? output.slice(marker + 1).trim() : '';
    if (exitCode === 0) return reachResult(req, 'ok', `HTTP ${code}`, durationMs, body);
    if (exitCode === 28) {
      const why = durationMs < HTTP_TIMEOUT_S * 1000 * 0.9 ? `no answer within ${Math.round(wait.connect * 1000)} ms` : `connected, but no whole answer within ${HTTP_TIMEOUT_S} s`;
      return reachResult(req, 'timed-out', why, durationMs);
    }
    const { outcome, why } = connectFailure(body);
    return reachResult(req, outcome, why, durationMs);
  }
  if (req.port !== undefined) {
    if (exitCode === 0) return reachResult(req, 'ok', 'connected', durationMs);
    if (exitCode === 124) return reachResult(req, 'timed-out', `no answer within ${Math.round(wait.tcp * 1000)} ms`, durationMs);
    const { outcome, why } = connectFailure(output);
    return reachResult(req, outcome, why, durationMs);
  }
  if (exitCode === 0) return reachResult(req, 'ok', 'reply', durationMs);
  if (exitCode === 1) return reachResult(req, 'no-reply', `no reply within ${Math.round(wait.ping * 1000)} ms`, durationMs);
  const why = lastLine(output).replace(/^ping: /, '');
  return reachResult(req, /unreachable/i.test(why) ? 'unreachable' : 'failed', why || `exit ${exitCode}`, durationMs);
}

/** One script that runs every probe in parallel; each prints `\x1eprobe I`, its output, then
 *  `\x1erc CODE MICROSECONDS`. */
export function batchProbeScript(reqs: readonly ProbeRequest[], options: ProbeOptions = {}): string {
  const jobs = reqs.map((req, i) => {
    const body = probeScript(req, options);
    // the probe's output goes straight through (no $(...) to hold it: one fork fewer); the
    // parser drops its trailing newlines, as $(...) would
    return `exec {fd}< <(printf '\\036probe ${i}\\n'; s=$EPOCHREALTIME; (${'\n'}${body}${'\n'}) 2>&1; rc=$?; e=$EPOCHREALTIME; printf '\\n\\036rc %s %s\\n' "$rc" "$(( \${e/./} - \${s/./} ))"); fds+=("/dev/fd/$fd")`;
  });
  return ['set +e', 'fds=()', ...jobs, 'cat "${fds[@]}"'].join('\n');
}

export function parseBatchOutput(reqs: readonly ProbeRequest[], stdout: string): Array<ProbeResult | undefined> {
  const results: Array<ProbeResult | undefined> = reqs.map(() => undefined);
  const re = /\x1eprobe (\d+)\n([\s\S]*?)\n\x1erc (\d+) (\d+)\n/g;
  for (const m of stdout.matchAll(re)) {
    const i = Number(m[1]);
    const req = reqs[i];
    if (req) results[i] = interpretProbe(req, Number(m[3]), (m[2] ?? '').replace(/\n+$/, ''), Number(m[4]) / 1000);
  }
  return results;
}
