// Where a running tutor announces its sandbox, so `netns-tutor shell --attach` (and `check`
// from a second terminal) can enter it. One small JSON file in a per-user runtime directory.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxMode } from './argv.js';

export interface SandboxAnnouncement {
  id: string;
  mode: SandboxMode;
  initPid: number;
  ownerPid: number;
}

export function runtimeDir(): string {
  const base = process.env.XDG_RUNTIME_DIR || join(tmpdir(), `netns-tutor-${process.getuid?.() ?? 'user'}`);
  return join(base, 'netns-tutor');
}

const file = () => join(runtimeDir(), 'tutor-sandbox.json');

export function announceSandbox(a: SandboxAnnouncement): void {
  mkdirSync(runtimeDir(), { recursive: true, mode: 0o700 });
  writeFileSync(file(), JSON.stringify(a), { mode: 0o600 });
}

export function withdrawSandbox(id: string): void {
  const current = findAnnouncedSandbox();
  if (current?.id === id) rmSync(file(), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running tutor's sandbox, or undefined when no tutor runs (stale files are ignored). */
export function findAnnouncedSandbox(): SandboxAnnouncement | undefined {
  try {
    const a = JSON.parse(readFileSync(file(), 'utf8')) as SandboxAnnouncement;
    return isAlive(a.ownerPid) && isAlive(a.initPid) ? a : undefined;
  } catch {
    return undefined;
  }
}
