// Checks over sysctls, files, and the active probes (reachability, shell escape hatch).
import type { Check } from '../lesson/types.js';
import type { NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import { cannotTell, fail, failSaying, holdsWhen, pass, type Outcome } from './outcome.js';
import type { ProbeResult } from './probe-types.js';

type CheckOf<K extends Check['kind']> = Extract<Check, { kind: K }>;

export function sysctlName(name: string): string {
  return name.trim().replace(/\//g, '.');
}

const squash = (s: string) => s.trim().replace(/\s+/g, ' ');

export function evaluateSysctl(check: CheckOf<'sysctl'>, ns: NamespaceState, probe: ProbeResult | undefined): Outcome {
  const name = sysctlName(check.sysctl);
  const value = ns.sysctls[name] ?? (probe?.outcome === 'ok' ? probe.output : undefined);
  if (value === undefined) {
    return cannotTell(`The sysctl ${name} could not be read in ${ns.name}${probe ? `: ${probe.detail}` : ''}.`);
  }
  return holdsWhen(squash(value) === squash(check.value), `${ns.name}: ${name} = ${squash(value)}`);
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1);
  return last === undefined ? 'it is empty' : `its last line is "${last.length > 80 ? `${last.slice(0, 80)}…` : last}"`;
}

export function evaluateFile(check: CheckOf<'file'>, snapshot: Snapshot): Outcome {
  const content = snapshot.files[check.file];
  if (content === undefined) return cannotTell(`The file ${check.file} was not read (a bug: the snapshot was taken without it).`);
  if (content === null) return holdsWhen(!check.exists, `${check.file} does not exist`);
  if (!check.exists) return fail(`${check.file} exists`);
  if (check.contains !== undefined && !content.includes(check.contains)) {
    return fail(`${check.file} does not contain "${check.contains}" (${lastLine(content)})`);
  }
  if (check.matches !== undefined) {
    const match = new RegExp(check.matches, 'm').exec(content);
    if (!match) return fail(`${check.file} has no match for /${check.matches}/ (${lastLine(content)})`);
    const line = content.slice(0, match.index).split('\n').length;
    return pass(`${check.file}:${line}: ${content.split('\n')[line - 1]?.trim() ?? ''}`);
  }
  return pass(`${check.file} exists`);
}

export function evaluateReach(check: CheckOf<'reach'>, probe: ProbeResult | undefined): Outcome {
  if (!probe) return cannotTell('This reachability probe was not run (a bug).');
  if (probe.outcome === 'skipped' || probe.outcome === 'error') return cannotTell(probe.detail);
  // no namespace to probe from: neither reaching nor failing to reach can be shown, and the
  // check's own sentence ("a ping from fox gets no answer") would be false: nothing was sent
  if (probe.outcome === 'no-source') return failSaying(probe.detail, probe.output?.trim() || probe.detail);
  let reached = probe.outcome === 'ok';
  let evidence = probe.detail;
  const body = check.http?.body;
  if (reached && body !== undefined && !(probe.output ?? '').includes(body)) {
    reached = false;
    const first = (probe.output ?? '').split('\n')[0]?.trim() ?? '';
    evidence = `${probe.detail}, but the body does not contain "${body}" (it starts "${first.slice(0, 60)}")`;
  }
  return holdsWhen(reached !== check.fails, evidence);
}

export function evaluateShell(probe: ProbeResult | undefined): Outcome {
  if (!probe) return cannotTell('This shell check was not run (a bug).');
  if (probe.outcome === 'skipped' || probe.outcome === 'error') return cannotTell(probe.detail);
  return holdsWhen(probe.outcome === 'ok', probe.detail);
}
