// Where a running tutor announces its sandbox, so `netns-tutor shell --attach` (and `check`
// from a second terminal) can enter it. One small JSON file in a per-user runtime directory.
//
// The file decides which namespaces a later command enters, so it is trusted only when it and its
// directory belong to us and no one else can write them, and when the processes it names are ours
// and are a netns-tutor init started by the announcing tutor: another user must not be able to
// plant one (the fallback directory under /tmp has a predictable name), nor the sandbox itself (a
// process inside named netns-tutor-init, announced through a /tmp it shares).
import { lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxMode } from '../../domain/sandbox-identity.js';

export interface SandboxAnnouncement {
  id: string;
  mode: SandboxMode;
  initPid: number;
  ownerPid: number;
}

const uid = () => process.getuid?.() ?? -1;

export function runtimeDir(): string {
  const base = process.env.XDG_RUNTIME_DIR || join(tmpdir(), `netns-tutor-${uid()}`);
  return join(base, 'netns-tutor');
}

const file = () => join(runtimeDir(), 'tutor-sandbox.json');

/** Ours, not a symlink, and writable by no one else. */
function isPrivate(path: string): boolean {
  try {
    const s = lstatSync(path);
    return !s.isSymbolicLink() && s.uid === uid() && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function privateDir(): string | undefined {
  const dir = runtimeDir();
  const base = join(dir, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // XDG_RUNTIME_DIR is the system's and already private; the /tmp fallback must be ours
  if (!process.env.XDG_RUNTIME_DIR && !isPrivate(base)) return undefined;
  return isPrivate(dir) ? dir : undefined;
}

/** Best effort: without a private directory, attaching is simply not offered. */
export function announceSandbox(a: SandboxAnnouncement): boolean {
  try {
    if (!privateDir()) return false;
    writeFileSync(file(), JSON.stringify(a), { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

export function withdrawSandbox(id: string): void {
  const current = findAnnouncedSandbox();
  if (current?.id === id) rmSync(file(), { force: true });
}

function isOurs(pid: number): boolean {
  try {
    return Number.isInteger(pid) && pid > 0 && statSync(`/proc/${pid}`).uid === uid();
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the comm field may hold spaces and parentheses: the ppid follows the last ')'
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The init is the grandchild of the owner's child: owner -> unshare (which env may have exec'd
 *  into) -> the outer script (which execs the nested unshare) -> the init. A process the sandbox
 *  itself started, named netns-tutor-init and announced through a file it could write, descends
 *  from the init (orphans are reparented to it), never from the owner this closely. */
function isInitOf(initPid: number, ownerPid: number): boolean {
  const outer = parentOf(initPid);
  const unshare = outer === undefined ? undefined : parentOf(outer);
  return unshare !== undefined && parentOf(unshare) === ownerPid;
}

function isSandboxInit(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('netns-tutor-init');
  } catch {
    return false;
  }
}

/** The running tutor's sandbox, or undefined when no tutor runs (stale or untrusted files are
 *  ignored). */
export function findAnnouncedSandbox(): SandboxAnnouncement | undefined {
  try {
    if (!isPrivate(runtimeDir()) || !isPrivate(file())) return undefined;
    const a = JSON.parse(readFileSync(file(), 'utf8')) as SandboxAnnouncement;
    if (a.mode !== 'userns' && a.mode !== 'root') return undefined;
    return isOurs(a.ownerPid) && isSandboxInit(a.initPid) && isInitOf(a.initPid, a.ownerPid) ? a : undefined;
  } catch {
    return undefined;
  }
}
