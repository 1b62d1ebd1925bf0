// Which sandbox mode this machine allows, decided from a few kernel settings (pure), and the
// reading of those settings (a handful of /proc files, microseconds).
import { existsSync, readFileSync } from 'node:fs';
import type { SandboxIdentity, SandboxMode } from '../../domain/sandbox-identity.js';

export interface UsernsFacts {
  isRoot: boolean;
  /** user.max_user_namespaces (0 forbids them for everyone, root included). */
  maxUserNamespaces?: number;
  /** kernel.unprivileged_userns_clone (Debian before 11, some hardened kernels; 0 forbids ordinary users). */
  unprivilegedUsernsClone?: number;
  /** kernel.apparmor_restrict_unprivileged_userns (Ubuntu 23.10+; 1 restricts ordinary users). */
  apparmorRestrict?: number;
}

export type ModeDecision =
  /** Try `mode`; `ifDenied` says why it may fail (shown with the fixes if it does). */
  | { kind: 'try'; mode: SandboxMode; ifDenied?: string }
  /** No sandbox is possible for this user: `reason` names the setting. */
  | { kind: 'denied'; reason: string };

/** Everyone needs a user namespace, root too: without one, root in the sandbox keeps
 *  CAP_SYS_ADMIN in the host's user namespace, which no mount trick contains. */
export function decideMode(f: UsernsFacts): ModeDecision {
  if (f.maxUserNamespaces === 0) return { kind: 'denied', reason: 'user.max_user_namespaces is 0' };
  if (f.isRoot) return { kind: 'try', mode: 'userns' };
  if (f.unprivilegedUsernsClone === 0) return { kind: 'denied', reason: 'kernel.unprivileged_userns_clone is 0' };
  if (f.apparmorRestrict === 1) {
    // an AppArmor profile may still allow it for this program: try, and explain if it fails
    return { kind: 'try', mode: 'userns', ifDenied: 'kernel.apparmor_restrict_unprivileged_userns is 1 (AppArmor)' };
  }
  return { kind: 'try', mode: 'userns' };
}

/** After a user namespace was denied at creation: there is no fallback (see decideMode). Kept
 *  for callers of the earlier API. */
export function fallbackAfterDenial(_f: UsernsFacts): SandboxMode | undefined {
  return undefined;
}

/** Where root's sandboxes map root: 65536 ids from here, far above any ordinary user's and below
 *  2^31 (which some tools mistake for negative). Moved up past any id the host names. */
const ROOT_RANGE_BASE = 2_100_000_000;
const RANGE_SIZE = 65536;

/** The first range from ROOT_RANGE_BASE that overlaps none of `used` (each [first, count]). */
export function pickIdRange(used: ReadonlyArray<readonly [number, number]>): number {
  let base = ROOT_RANGE_BASE;
  while (used.some(([first, count]) => first < base + RANGE_SIZE && base < first + count)) base += RANGE_SIZE;
  return base;
}

/** Ids the host already gives out: users and groups, and the subordinate ranges. */
function readUsedIds(): Array<[number, number]> {
  const used: Array<[number, number]> = [];
  const lines = (path: string) => {
    try {
      return readFileSync(path, 'utf8').split('\n');
    } catch {
      return [];
    }
  };
  for (const path of ['/etc/passwd', '/etc/group']) {
    for (const line of lines(path)) {
      const id = Number(line.split(':')[2]);
      if (line && Number.isInteger(id)) used.push([id, 1]);
    }
  }
  for (const path of ['/etc/subuid', '/etc/subgid']) {
    for (const line of lines(path)) {
      const [, first, count] = line.split(':').map(Number);
      if (Number.isInteger(first) && Number.isInteger(count)) used.push([first!, count!]);
    }
  }
  return used;
}

/** Root's sandbox maps root to an unused unprivileged range (never to uid 0), written by our
 *  stand-ins for newuidmap in `mapperDir`; an ordinary user's maps root to the user. */
export function sandboxIdentity(f: UsernsFacts, mapperDir: string): SandboxIdentity {
  return f.isRoot ? { kind: 'range', base: pickIdRange(readUsedIds()), count: RANGE_SIZE, mapperDir } : { kind: 'self' };
}

function readNumber(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

export function readUsernsFacts(): UsernsFacts {
  return {
    isRoot: process.getuid?.() === 0,
    maxUserNamespaces: readNumber('/proc/sys/user/max_user_namespaces'),
    unprivilegedUsernsClone: readNumber('/proc/sys/kernel/unprivileged_userns_clone'),
    apparmorRestrict: readNumber('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  };
}

let setprivFound: boolean | undefined;
/** Whether util-linux's setpriv is on the PATH (root mode drops capabilities with it). */
export function hasSetpriv(): boolean {
  setprivFound ??= (process.env.PATH ?? '/usr/bin:/bin').split(':').some((dir) => dir !== '' && existsSync(`${dir}/setpriv`));
  return setprivFound;
}
