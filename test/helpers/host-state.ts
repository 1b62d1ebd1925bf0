// The host's network and system state as netns-tutor could plausibly change it (the parts in
// src/world/host-fingerprint.ts, which test-lessons compares too), captured as normalised text per
// section, and the comparison that proves a run left it byte-for-byte alone. Used by
// test/global-setup.ts around the whole suite and by tests that want a local proof.
import { spawnSync } from 'node:child_process';
import { changedLines, HOST_PARTS, partScript, readPart } from '../../src/world/host-fingerprint.js';

/** Section name -> normalised text. Sections that could not be read hold a stable
 *  "(unavailable: why)" so a missing tool never looks like a change. */
export type HostState = Record<string, string>;

/** Sections whose change is reported but does not fail the run, and why. */
export const NOTE_ONLY: Record<string, string> = Object.fromEntries(HOST_PARTS.flatMap((p) => (p.noteOnly ? [[p.name, p.noteOnly]] : [])));

/** The same parts test-lessons compares (src/world/host-fingerprint.ts), read synchronously. */
export function captureHostState(): HostState {
  const state: HostState = {};
  for (const part of HOST_PARTS) {
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', partScript(part)], { encoding: 'utf8', timeout: 10_000 });
    const read = readPart(part, r.status ?? -1, r.stdout ?? '', r.stderr ?? (r.error ? String(r.error) : ''));
    state[part.name] = read.text ?? `(unavailable: ${read.skipped})`;
  }
  return state;
}

export interface HostDiff {
  /** Changed sections that fail the run, each as a small line diff. */
  failures: string[];
  /** Changed note-only sections, each with the reason it does not fail. */
  notes: string[];
}

function lineDiff(before: string, after: string): string {
  const lines = changedLines(before, after);
  return lines.length > 0 ? lines.join('\n') : '  (same lines, different order or count)';
}

export function diffHostState(before: HostState, after: HostState): HostDiff {
  const failures: string[] = [];
  const notes: string[] = [];
  for (const section of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[section] ?? '(missing)';
    const b = after[section] ?? '(missing)';
    if (a === b) continue;
    const text = `[${section}]\n${lineDiff(a, b)}`;
    const why = NOTE_ONLY[section];
    if (why) notes.push(`${text}\n  (not a failure: ${why})`);
    else failures.push(text);
  }
  return { failures, notes };
}

export function describeHostDiff(diff: HostDiff, what = 'the run'): string {
  const parts: string[] = [];
  if (diff.failures.length > 0) parts.push(`THE HOST CHANGED during ${what}:\n${diff.failures.join('\n')}`);
  if (diff.notes.length > 0) parts.push(`host changes noted during ${what}:\n${diff.notes.join('\n')}`);
  return parts.join('\n\n');
}

/** Throws, with the diff, when the host differs from `before` in any failing section. Note-only
 *  changes are written to stderr. */
export function assertHostUnchanged(before: HostState, what = 'this test'): void {
  const diff = diffHostState(before, captureHostState());
  if (diff.notes.length > 0 && diff.failures.length === 0) process.stderr.write(`${describeHostDiff(diff, what)}\n`);
  if (diff.failures.length > 0) throw new Error(describeHostDiff(diff, what));
}
