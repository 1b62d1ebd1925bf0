// Where user namespaces are forbidden: nobody gets a sandbox without one (root there would be root
// on the host), and the message names the setting and the fix. The decision as a pure function,
// and both paths for real, inside a sandbox whose user.max_user_namespaces is lowered for its own
// children (the host's stays as it is).
import { beforeAll, describe, expect, it } from 'vitest';
import { decideMode, pickIdRange } from '../src/world/sandbox/mode.js';
import { usernsFixes } from '../src/domain/doctor/preflight.js';
import { createSandbox } from '../src/world/sandbox/sandbox.js';
import { prepareUnprivilegedCli } from './helpers/unprivileged.js';

describe('decideMode', () => {
  it('uses a user namespace wherever it is allowed, for root and for others', () => {
    expect(decideMode({ isRoot: true, maxUserNamespaces: 15000 })).toEqual({ kind: 'try', mode: 'userns' });
    expect(decideMode({ isRoot: false, maxUserNamespaces: 15000 })).toEqual({ kind: 'try', mode: 'userns' });
    expect(decideMode({ isRoot: false })).toEqual({ kind: 'try', mode: 'userns' });
  });

  it('refuses root too when they are off for everyone; root is not bound by the settings for ordinary users', () => {
    expect(decideMode({ isRoot: true, maxUserNamespaces: 0 })).toEqual({ kind: 'denied', reason: 'user.max_user_namespaces is 0' });
    expect(decideMode({ isRoot: true, unprivilegedUsernsClone: 0, apparmorRestrict: 1 })).toEqual({ kind: 'try', mode: 'userns' });
  });

  it('maps root\'s sandbox to a range no host user, group or subordinate range uses', () => {
    expect(pickIdRange([])).toBe(2_100_000_000);
    expect(pickIdRange([[0, 1], [65534, 1], [100000, 65536]])).toBe(2_100_000_000);
    expect(pickIdRange([[2_100_000_005, 1]])).toBe(2_100_065_536);
    expect(pickIdRange([[2_099_990_000, 20_000], [2_100_065_536, 65536]])).toBe(2_100_131_072);
  });

  it('refuses an ordinary user up front where a setting forbids it, naming the setting', () => {
    expect(decideMode({ isRoot: false, maxUserNamespaces: 0 })).toEqual({ kind: 'denied', reason: 'user.max_user_namespaces is 0' });
    expect(decideMode({ isRoot: false, unprivilegedUsernsClone: 0 })).toEqual({ kind: 'denied', reason: 'kernel.unprivileged_userns_clone is 0' });
  });

  it('tries under the AppArmor restriction (a profile may allow it) and knows what to blame', () => {
    expect(decideMode({ isRoot: false, apparmorRestrict: 1 })).toEqual({
      kind: 'try',
      mode: 'userns',
      ifDenied: 'kernel.apparmor_restrict_unprivileged_userns is 1 (AppArmor)',
    });
  });

  it('the fixes name running as root and the sysctl that allows user namespaces', () => {
    expect(usernsFixes('kernel.apparmor_restrict_unprivileged_userns is 1 (AppArmor)')).toContain('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
    expect(usernsFixes('user.max_user_namespaces is 0')).toContain('sudo sysctl -w user.max_user_namespaces=15000');
    expect(usernsFixes('kernel.unprivileged_userns_clone is 0')).toContain('sudo sysctl -w kernel.unprivileged_userns_clone=1');
    // running as root helps only where the setting binds ordinary users
    expect(usernsFixes()).toContain('sudo netns-tutor');
    expect(usernsFixes('kernel.unprivileged_userns_clone is 0')).toContain('sudo netns-tutor');
    expect(usernsFixes('user.max_user_namespaces is 0')).not.toContain('sudo netns-tutor');
    expect(usernsFixes('user.max_user_namespaces is 0')).toContain('root included');
  });
});

describe('for real, where user namespaces are forbidden', () => {
  beforeAll(() => {
    prepareUnprivilegedCli().dispose(); // builds dist/ if it is missing: the CLI runs inside
  });

  it('root (inside the outer sandbox) is refused with the fix, not given a sandbox without a user namespace', async () => {
    const outer = await createSandbox({ internet: false });
    try {
      const r = await outer.run(['sysctl -qw user.max_user_namespaces=0', 'env -u NETNS_TUTOR_SANDBOX netns-tutor shell -c "echo got-a-sandbox"'].join('\n'));
      expect(r.stdout).toBe('');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(`error: cannot create the sandbox: user.max_user_namespaces is 0.\n\n${usernsFixes('user.max_user_namespaces is 0')}\n`);
    } finally {
      await outer.dispose();
    }
  });

  it('a forced root mode is refused too', async () => {
    await expect(createSandbox({ mode: 'root' })).rejects.toThrow(/user namespace/);
  });

  it('an ordinary user gets a clear message with both fixes, not a stack trace', async () => {
    const outer = await createSandbox({ internet: false });
    try {
      // uid 1000 in a user namespace of its own; one more user namespace below the outer
      // sandbox's would exceed its limit of 1
      const r = await outer.run(
        [
          'sysctl -qw user.max_user_namespaces=1',
          'unshare --user --map-user=1000 --map-group=1000 -- env -u NETNS_TUTOR_SANDBOX sh -c "id -u >&2; netns-tutor shell -c true"',
        ].join('\n'),
      );
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      const [uid, ...message] = r.stderr.split('\n');
      expect(uid).toBe('1000');
      expect(message.join('\n')).toBe(`error: cannot create the sandbox: unshare: unshare failed: No space left on device\n\n${usernsFixes('user.max_user_namespaces is reached')}\n`);
    } finally {
      await outer.dispose();
    }
  });
});
