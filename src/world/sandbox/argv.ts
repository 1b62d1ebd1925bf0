// Pure builders for the argv that creates a sandbox and the argv that enters one.
import type { SandboxIdentity, SandboxMode } from '../../domain/sandbox-identity.js';
import { TUTOR_BIN_DIR } from '../../domain/sandbox-layout.js';

/** The outer layer: a user namespace mapping root to `identity`, an empty network namespace (for
 *  the sysfs under the init's own), the mount namespace where the
 *  sandbox's file tree is built, and its PID namespace (the outer script becomes PID 1, then execs
 *  the init in a nested user namespace: see init-script.ts). With a 'range', unshare writes the
 *  maps through `newuidmap`/`newgidmap` found on the PATH (sandbox.ts puts ours first) and then
 *  becomes root in the namespace. */
export function createArgv(who: SandboxIdentity | SandboxMode, init: readonly string[]): string[] {
  // a mode (the old signature, the benchmark's floor): the caller's own id
  const identity: SandboxIdentity = typeof who === 'string' ? { kind: 'self' } : who;
  const map =
    identity.kind === 'range'
      ? [`--map-users=${identity.base},0,${identity.count}`, `--map-groups=${identity.base},0,${identity.count}`, '--setuid', '0', '--setgid', '0']
      : ['--map-root-user'];
  const mappers = identity.kind === 'range' ? ['env', `PATH=${identity.mapperDir}:/usr/sbin:/usr/bin:/sbin:/bin`] : [];
  return [...mappers, 'unshare', '--user', ...map, '--mount', '--pid', '--net', '--fork', '--propagation', 'private', '--', ...init];
}

/** Enters the init's (nested) user namespace and all its others, and becomes root there: root
 *  of the nested namespace is root of the sandbox's id range (or the caller) outside. Namespaces
 *  are entered before the user namespace (nsenter's two passes), so host root and the user who
 *  owns the sandbox can enter the PID namespace, which the outer user namespace owns. */
export function enterArgv(
  _mode: SandboxMode,
  initPid: number,
  _setpriv = false,
  scrub: readonly string[] = hostOnlyEnvNames(process.env),
  asRoot = process.getuid?.() === 0,
): string[] {
  // `env -u`: whatever a caller spreads of this process's environment stays outside. Root (whose
  // uid 0 is not mapped inside) becomes the namespace's root; an ordinary user already is it, and
  // may not call setgroups() there.
  const scrubbed = scrub.length > 0 ? ['env', ...scrub.flatMap((name) => ['-u', name])] : [];
  return [...scrubbed, 'nsenter', '-t', String(initPid), '-U', ...(asRoot ? [] : ['--preserve-credentials']), '-n', '-m', '-u', '-i', '-p', '-w', '--'];
}

export const SANDBOX_PATH = `${TUTOR_BIN_DIR}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

/** The environment every command inside a sandbox gets. */
export function sandboxEnv(id: string): Record<string, string> {
  return {
    PATH: SANDBOX_PATH,
    HOME: '/root',
    NETNS_TUTOR_SANDBOX: id,
    LC_ALL: 'C.UTF-8',
  };
}

/** Host variables a sandbox may inherit, besides its own (sandboxEnv, NETNS_TUTOR_*, NT_*): the
 *  terminal's type and the language; PS1 and PS2 because the shell session sets its own (an
 *  `env -u` of them would drop those too). Everything else (tokens, SSH_AUTH_SOCK, DISPLAY...)
 *  stays outside. */
function isAllowedHostVariable(name: string): boolean {
  return ['PATH', 'HOME', 'TERM', 'COLORTERM', 'LANG', 'LANGUAGE', 'PS1', 'PS2'].includes(name) || /^(LC_|NETNS_TUTOR_|NT_)/.test(name);
}

export function allowedHostEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && isAllowedHostVariable(e[0])));
}

/** The names in `env` a sandbox must not inherit. */
export function hostOnlyEnvNames(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env).filter((name) => !isAllowedHostVariable(name) && name !== '' && !name.includes('='));
}
