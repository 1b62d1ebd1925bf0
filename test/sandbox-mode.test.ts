// Where user namespaces are forbidden: root falls back to a sandbox without one, an ordinary user
// gets both fixes. The decision as a pure function, and both paths for real, inside a sandbox
// whose user.max_user_namespaces is lowered for its own children (the host's stays as it is).
import { beforeAll, describe, expect, it } from 'vitest';
import { decideMode } from '../src/sandbox/mode.js';
import { usernsFixes } from '../src/sandbox/preflight.js';
import { createSandbox } from '../src/sandbox/sandbox.js';
import { prepareUnprivilegedCli } from './helpers/unprivileged.js';

describe('decideMode', () => {
  it('uses a user namespace wherever it is allowed, for root and for others', () => {
    expect(decideMode({ isRoot: true, maxUserNamespaces: 15000 })).toEqual({ kind: 'try', mode: 'userns' });
    expect(decideMode({ isRoot: false, maxUserNamespaces: 15000 })).toEqual({ kind: 'try', mode: 'userns' });
    expect(decideMode({ isRoot: false })).toEqual({ kind: 'try', mode: 'userns' });
  });

  it('as root, goes without a user namespace when they are off for everyone, or ordinary users only', () => {
    expect(decideMode({ isRoot: true, maxUserNamespaces: 0 })).toEqual({ kind: 'try', mode: 'root' });
    expect(decideMode({ isRoot: true, unprivilegedUsernsClone: 0, apparmorRestrict: 1 })).toEqual({ kind: 'try', mode: 'userns' });
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
    for (const reason of [undefined, 'user.max_user_namespaces is 0']) expect(usernsFixes(reason)).toContain('sudo netns-tutor');
  });
});

describe('for real, where user namespaces are forbidden', () => {
  beforeAll(() => {
    prepareUnprivilegedCli().dispose(); // builds dist/ if it is missing: the CLI runs inside
  });

  it('root (inside the outer sandbox) gets a sandbox without a user namespace that still works', async () => {
    const outer = await createSandbox({ internet: false });
    try {
      const r = await outer.run(
        [
          'readlink /proc/self/ns/user',
          'sysctl -qw user.max_user_namespaces=0',
          `env -u NETNS_TUTOR_SANDBOX netns-tutor shell -c 'readlink /proc/self/ns/user; ip netns add fox && ip link add br0 type bridge && ping -c1 -W1 203.0.113.1 >/dev/null && echo works'`,
        ].join('\n'),
      );
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const [outerUserns, innerUserns, works] = r.stdout.split('\n');
      expect(innerUserns).toBe(outerUserns); // no new user namespace: mode 'root'
      expect(works).toBe('works');
      // root without a user namespace is root on the host: global sysctls, /sys and the host's
      // files are read-only in there; the network's sysctls stay writable
      const guarded = await outer.run(
        `env -u NETNS_TUTOR_SANDBOX netns-tutor shell -c 'sysctl -qw kernel.domainname=x; sysctl -qw user.max_user_namespaces=9; echo 9000 >/sys/class/net/lo/mtu; touch /usr/x; sysctl -qw net.ipv4.ip_forward=1 && echo net-ok'`,
      );
      expect(guarded.stdout).toBe('net-ok\n');
      expect(guarded.stderr).toContain('permission denied on key "kernel.domainname"');
      expect(guarded.stderr).toContain('permission denied on key "user.max_user_namespaces"');
      expect(guarded.stderr).toContain('/sys/class/net/lo/mtu: Read-only file system');
      expect(guarded.stderr).toContain("touch: cannot touch '/usr/x': Read-only file system");
      // and capabilities that reach past every namespace are gone (loading modules, the clock,
      // raw devices), in the init's world and in what enters it, while the network's stay
      const caps = await outer.run(
        `env -u NETNS_TUTOR_SANDBOX netns-tutor shell -c 'for pid in 1 $$; do b=0x$(awk "/CapBnd/{print \\$2}" /proc/$pid/status); echo "$(( (b >> 16) & 1 ))$(( (b >> 25) & 1 ))$(( (b >> 17) & 1 ))$(( (b >> 12) & 1 ))$(( (b >> 21) & 1 ))"; done; date -s @0 >/dev/null 2>&1 || echo no-clock'`,
      );
      // per process: sys_module, sys_time, sys_rawio (all 0), net_admin, sys_admin (both 1)
      expect(caps.stdout).toBe('00011\n00011\nno-clock\n');
    } finally {
      await outer.dispose();
    }
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
