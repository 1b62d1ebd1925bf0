// Which sandbox mode this machine allows, decided from a few kernel settings (pure), and the
// reading of those settings (a handful of /proc files, microseconds).
import { existsSync, readFileSync } from 'node:fs';
import type { SandboxMode } from './argv.js';

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

/** Root tries a user namespace first (more isolation) and falls back to plain root when the
 *  attempt is denied (see fallbackAfterDenial); an ordinary user needs one. */
export function decideMode(f: UsernsFacts): ModeDecision {
  if (f.maxUserNamespaces === 0) {
    return f.isRoot ? { kind: 'try', mode: 'root' } : { kind: 'denied', reason: 'user.max_user_namespaces is 0' };
  }
  if (f.isRoot) return { kind: 'try', mode: 'userns' };
  if (f.unprivilegedUsernsClone === 0) return { kind: 'denied', reason: 'kernel.unprivileged_userns_clone is 0' };
  if (f.apparmorRestrict === 1) {
    // an AppArmor profile may still allow it for this program: try, and explain if it fails
    return { kind: 'try', mode: 'userns', ifDenied: 'kernel.apparmor_restrict_unprivileged_userns is 1 (AppArmor)' };
  }
  return { kind: 'try', mode: 'userns' };
}

/** After a user namespace was denied at creation: root goes on without one; others cannot. */
export function fallbackAfterDenial(f: UsernsFacts): SandboxMode | undefined {
  return f.isRoot ? 'root' : undefined;
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
