// Pure builders for the argv that creates a sandbox and the argv that enters one.

/** 'userns': a user namespace maps the caller to root inside (works unprivileged and as root).
 *  'root': real root without a user namespace, only where user namespaces are forbidden. */
export type SandboxMode = 'userns' | 'root';

/** Capabilities that reach past every namespace (modules, raw devices, the clock, reboot, the
 *  kernel log, security modules): without a user namespace, root in the sandbox is root on the
 *  host, so they leave the bounding set of everything in it. Nothing a lesson does needs them: the
 *  kernel loads a bridge's or nf_tables' module itself. */
const HOST_ONLY_CAPS = ['sys_module', 'sys_rawio', 'sys_boot', 'sys_time', 'syslog', 'sys_pacct', 'mac_admin', 'mac_override', 'wake_alarm'];

/** In root mode (and where util-linux's setpriv is there), the words that drop HOST_ONLY_CAPS. */
function capsDropped(mode: SandboxMode, setpriv: boolean): string[] {
  return mode === 'root' && setpriv ? ['setpriv', `--bounding-set=${HOST_ONLY_CAPS.map((c) => `-${c}`).join(',')}`, '--'] : [];
}

export function createArgv(mode: SandboxMode, init: readonly string[], setpriv = false): string[] {
  return [
    ...capsDropped(mode, setpriv),
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

export function enterArgv(mode: SandboxMode, initPid: number, setpriv = false): string[] {
  return [
    ...capsDropped(mode, setpriv),
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
