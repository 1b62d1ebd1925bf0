// Turning a failed sandbox creation into a message that says what to do.
import { AbortError, BugError } from '../errors.js';

export const USERNS_FIXES = [
  'This machine does not let ordinary users create user namespaces, which the sandbox needs.',
  'Either run netns-tutor with sudo (the sandbox then runs as root, still fully isolated):',
  '    sudo netns-tutor',
  'or allow unprivileged user namespaces (Ubuntu 24.04+ restricts them with AppArmor):',
  '    sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
  '    (make it permanent in /etc/sysctl.d/60-userns.conf)',
  'On other distributions check: sysctl kernel.unprivileged_userns_clone user.max_user_namespaces',
].join('\n');

export function isUsernsDenied(stderr: string): boolean {
  return /uid_map|setgroups|unshare failed: (Operation not permitted|No space left on device|Invalid argument)/i.test(stderr);
}

export function explainCreateFailure(code: number | null, stderr: string): Error {
  if (/ENOENT|No such file or directory.*unshare|spawn unshare/.test(stderr)) {
    return new AbortError('`unshare` was not found.', 'Install util-linux:  sudo apt-get install -y util-linux   (Fedora: sudo dnf install -y util-linux)');
  }
  if (isUsernsDenied(stderr)) {
    return new AbortError(`cannot create the sandbox: ${stderr.trim().split('\n')[0]}`, USERNS_FIXES);
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
