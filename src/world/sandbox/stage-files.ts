// A lesson's `files:`, confined to /etc and /root, written to a host directory the sandbox's outer
// script copies from before the init starts.
import { chownSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { AbortError } from '../../domain/errors.js';
import type { SandboxIdentity } from '../../domain/sandbox-identity.js';

/** Whether `path` is a plain absolute path under /etc or /root: no `..`, `.`, `//` or trailing
 *  slash, so that joining it under the stage directory stays there. */
export function isConfinedFilePath(path: string): boolean {
  return /^\/(etc|root)\/./.test(path) && posix.normalize(path) === path && !path.endsWith('/') && !path.split('/').includes('..');
}

function chownTree(path: string, id: number): void {
  chownSync(path, id, id);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), id);
}

/** Writes `files` into a fresh host directory the init copies from (before it says ready). */
export function stageFiles(files: Record<string, string>, identity: SandboxIdentity): string | undefined {
  const entries = Object.entries(files);
  if (entries.length === 0) return undefined;
  for (const [path] of entries) {
    if (!isConfinedFilePath(path)) {
      throw new AbortError(`a sandbox file must be a plain absolute path under /etc or /root: ${JSON.stringify(path)}`, 'Name the file without `..`, `.` or `//`, e.g. /etc/hosts or /root/notes.txt.');
    }
  }
  const stage = mkdtempSync(join(tmpdir(), 'netns-tutor-stage-'));
  for (const [path, content] of entries) {
    const target = join(stage, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  // root inside must read it (and `cp -a` it as its own): with a range, that is the range's first id
  if (identity.kind === 'range') chownTree(stage, identity.base);
  return stage;
}
