// Pure builders for the argv that creates a sandbox and the argv that enters one.

/** 'userns': a user namespace maps the caller to root inside (works unprivileged and as root).
 *  'root': real root without a user namespace, only where user namespaces are forbidden. */
export type SandboxMode = 'userns' | 'root';

export function createArgv(mode: SandboxMode, init: readonly string[]): string[] {
  return [
    'unshare',
    ...(mode === 'userns' ? ['--user', '--map-root-user'] : []),
    '--net',
    '--mount',
    '--uts',
    '--ipc',
    '--pid',
    '--fork',
    '--mount-proc',
    '--propagation',
    'private',
    '--',
    ...init,
  ];
}

export function enterArgv(mode: SandboxMode, initPid: number): string[] {
  return [
    'nsenter',
    '-t',
    String(initPid),
    ...(mode === 'userns' ? ['-U', '--preserve-credentials'] : []),
    '-n',
    '-m',
    '-u',
    '-i',
    '-p',
    '-w',
    '--',
  ];
}

export const SANDBOX_PATH = '/run/tutor/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment every command inside a sandbox gets. */
export function sandboxEnv(id: string): Record<string, string> {
  return {
    PATH: SANDBOX_PATH,
    HOME: '/root',
    NETNS_TUTOR_SANDBOX: id,
    LC_ALL: 'C.UTF-8',
  };
}
