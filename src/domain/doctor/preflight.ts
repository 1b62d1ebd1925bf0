// Turning a failed (or impossible) sandbox creation into a message that says what to do.
import { AbortError, BugError } from '../errors.js';

const PERMANENT = (setting: string) => `    echo '${setting}' | sudo tee /etc/sysctl.d/60-netns-tutor-userns.conf && sudo sysctl --system`;

/** The setting that forbids user namespaces -> the command that allows them. */
function allowCommand(reason: string | undefined): string[] {
  if (reason?.startsWith('user.max_user_namespaces')) {
    return ['or allow user namespaces again:', '    sudo sysctl -w user.max_user_namespaces=15000', PERMANENT('user.max_user_namespaces=15000')];
  }
  if (reason?.startsWith('kernel.unprivileged_userns_clone')) {
    return ['or allow unprivileged user namespaces:', '    sudo sysctl -w kernel.unprivileged_userns_clone=1', PERMANENT('kernel.unprivileged_userns_clone=1')];
  }
  return [
    'or allow unprivileged user namespaces (Ubuntu 23.10+ restricts them with AppArmor):',
    '    sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
    PERMANENT('kernel.apparmor_restrict_unprivileged_userns=0'),
    '(elsewhere check: sysctl kernel.unprivileged_userns_clone user.max_user_namespaces)',
  ];
}

/** The fixes: allow user namespaces (with the setting `reason` names, if known), or, where only
 *  ordinary users are kept from them, run as root (root's sandbox is in user namespaces too). */
export function usernsFixes(reason?: string): string {
  const forAll = reason?.startsWith('user.max_user_namespaces') || reason?.startsWith('a sandbox without');
  return [
    `This machine does not let ${forAll ? 'anyone, root included,' : 'ordinary users'} create user namespaces${reason ? ` (${reason})` : ''}, which the sandbox needs.`,
    'Without one, root in the sandbox would be root on this machine, so netns-tutor does not run without them.',
    ...(forAll
      ? []
      : ['Either run netns-tutor as root (root may create them; inside, root is still an unprivileged id outside):', '    sudo netns-tutor            (from a clone: sudo env "PATH=$PATH" npm start)']),
    ...allowCommand(forAll ? 'user.max_user_namespaces' : reason).map((line, i) => (i === 0 && forAll ? line.replace(/^or a/, 'A') : line)),
  ].join('\n');
}

export const USERNS_FIXES = usernsFixes();

export function isUsernsDenied(stderr: string): boolean {
  return /uid_map|setgroups|unshare failed: (Operation not permitted|No space left on device|Invalid argument)/i.test(stderr);
}

/** Where the machine's settings already forbid the sandbox for this user. */
export function explainUsernsDenied(reason: string): AbortError {
  return new AbortError(`cannot create the sandbox: ${reason}.`, usernsFixes(reason));
}

/** `ifDenied`: the setting suspected to forbid user namespaces, named in the message if they were. */
export function explainCreateFailure(code: number | null, stderr: string, ifDenied?: string): Error {
  if (/ENOENT|No such file or directory.*unshare|spawn unshare/.test(stderr)) {
    return new AbortError('`unshare` was not found.', 'Install util-linux:  sudo apt-get install -y util-linux   (Fedora: sudo dnf install -y util-linux)');
  }
  if (isUsernsDenied(stderr)) {
    // ENOSPC: a limit on user namespaces (this namespace's or an outer one's) is reached
    const reason = ifDenied ?? (/No space left on device/.test(stderr) ? 'user.max_user_namespaces is reached' : undefined);
    return new AbortError(`cannot create the sandbox: ${stderr.trim().split('\n')[0]}`, usernsFixes(reason));
  }
  const missing = /(\S+): command not found/.exec(stderr);
  if (missing) {
    return new AbortError(`the sandbox needs \`${missing[1]}\`, which is not installed.`, 'Run `netns-tutor doctor` to see every missing tool and the command that installs it.');
  }
  if (/init: /.test(stderr)) {
    return new AbortError(`cannot build the sandbox: ${stderr.trim()}`, 'Run `netns-tutor doctor` to check this machine.');
  }
  return new BugError(`the sandbox init exited (code ${code}) before it was ready:\n${stderr.trim()}`);
}
