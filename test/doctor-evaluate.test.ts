// The doctor's judgement over probe results (pure): a healthy machine, everything missing, and
// the cases in between, each with the exact fix; and the text it prints.
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../src/domain/doctor/catalog.js';
import { evaluateDoctor } from '../src/domain/doctor/evaluate.js';
import { parseCapabilityOutput, whyBroken } from '../src/world/doctor/probe.js';
import { renderDoctor, wrapText } from '../src/domain/doctor/render.js';
import type { ProbeResults } from '../src/domain/doctor/types.js';

const allTools = Object.fromEntries(TOOLS.flatMap((t) => t.commands).map((c) => [c, { path: `/usr/bin/${c}`, version: `${c} 1.0` }]));

function healthy(): ProbeResults {
  return {
    node: 'v20.20.2',
    isRoot: false,
    tools: { ...allTools, iptables: { path: '/usr/sbin/iptables', version: 'iptables v1.8.9 (nf_tables)' } },
    cni: { dir: '/usr/lib/cni', plugins: ['bridge', 'host-local', 'portmap'] },
    sandbox: { created: true, mode: 'userns' },
    capabilities: { netns: { status: 'ok' }, veth: { status: 'ok' }, bridge: { status: 'ok' }, 'nft-nat': { status: 'ok' }, 'iptables-nat': { status: 'ok' }, conntrack: { status: 'ok' } },
    brNetfilter: { loaded: false },
  };
}

function everythingMissing(): ProbeResults {
  return {
    node: 'v20.20.2',
    isRoot: false,
    tools: {},
    cni: { plugins: [] },
    sandbox: { created: false, error: '`unshare` was not found.', next: 'Install util-linux:  sudo apt-get install -y util-linux', usernsDenied: false },
    capabilities: {},
    brNetfilter: { loaded: false },
  };
}

const find = (probes: ProbeResults, id: string) => evaluateDoctor(probes).findings.find((f) => f.id === id)!;

describe('evaluateDoctor', () => {
  it('passes a healthy machine: every finding ok, no install line', () => {
    const report = evaluateDoctor(healthy());
    expect(report.ok).toBe(true);
    expect(report.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(report.installAll).toBeUndefined();
  });

  it('with everything missing: fails, every tool missing with its package on both families, nothing tried in a sandbox', () => {
    const report = evaluateDoctor(everythingMissing());
    expect(report.ok).toBe(false);
    for (const spec of TOOLS) {
      const f = report.findings.find((x) => x.id === spec.id)!;
      expect(f.status).toBe('missing');
      expect(f.fix).toEqual({ debian: `sudo apt-get install -y ${spec.debian.join(' ')}`, fedora: `sudo dnf install -y ${spec.fedora.join(' ')}` });
    }
    expect(report.findings.find((f) => f.id === 'iptables-backend')).toBeUndefined();
    expect(find(everythingMissing(), 'cni-plugins').status).toBe('missing');
    // the sandbox could not start because its tools are missing: blamed on them, with their fix
    const sandbox = find(everythingMissing(), 'sandbox');
    expect(sandbox).toMatchObject({ status: 'missing', label: 'the sandbox', detail: 'cannot be created, because of ip (iproute2); unshare, nsenter (util-linux) (above): `unshare` was not found.' });
    expect(sandbox.fix).toEqual({ debian: 'sudo apt-get install -y iproute2 util-linux mount', fedora: 'sudo dnf install -y iproute util-linux' });
    expect(report.findings.find((f) => f.id === 'userns')).toBeUndefined();
    for (const id of ['kernel-veth', 'kernel-bridge', 'kernel-nft-nat']) expect(find(everythingMissing(), id).status).toBe('warning');
    expect(report.installAll).toEqual({
      debian: 'sudo apt-get install -y iproute2 iptables nftables iputils-ping util-linux mount curl conntrack python3 tcpdump jq dnsmasq-base containernetworking-plugins',
      fedora: 'sudo dnf install -y iproute iptables-nft nftables iputils util-linux curl conntrack-tools python3 tcpdump jq dnsmasq containernetworking-plugins',
    });
  });

  it('fails for one missing required tool, but not for a missing optional one', () => {
    const p = healthy();
    delete p.tools.jq;
    expect(evaluateDoctor(p).ok).toBe(true);
    expect(find(p, 'jq')).toMatchObject({ status: 'missing', required: false });
    delete p.tools.conntrack;
    const report = evaluateDoctor(p);
    expect(report.ok).toBe(false);
    expect(find(p, 'conntrack')).toMatchObject({ status: 'missing', required: true, fix: { debian: 'sudo apt-get install -y conntrack', fedora: 'sudo dnf install -y conntrack-tools' } });
    expect(report.installAll?.debian).toBe('sudo apt-get install -y conntrack jq');
  });

  it('warns about the legacy iptables backend, with the command that switches', () => {
    const p = healthy();
    p.tools.iptables = { path: '/usr/sbin/iptables', version: 'iptables v1.8.9 (legacy)' };
    const f = find(p, 'iptables-backend');
    expect(f.status).toBe('warning');
    expect(f.fix?.debian).toBe('sudo update-alternatives --set iptables /usr/sbin/iptables-nft && sudo update-alternatives --set ip6tables /usr/sbin/ip6tables-nft');
    expect(evaluateDoctor(p).ok).toBe(true);
  });

  it('refused user namespaces: missing, with both fixes; root\'s sandbox maps root to an unprivileged range, and says so', () => {
    const p = healthy();
    p.sandbox = { created: false, error: 'cannot create the sandbox: unshare: write failed /proc/self/uid_map: Operation not permitted', next: 'Either run netns-tutor as root ... sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0', usernsDenied: true };
    p.capabilities = {};
    expect(evaluateDoctor(p).ok).toBe(false);
    expect(find(p, 'userns')).toMatchObject({ status: 'missing', fix: { any: p.sandbox.next } });
    const root = healthy();
    root.isRoot = true;
    root.sandbox = { created: true, mode: 'userns', identity: { kind: 'range', base: 2_100_000_000, count: 65536, mapperDir: '/x' } };
    expect(find(root, 'userns')).toMatchObject({ status: 'ok', detail: 'allowed: root in the sandbox is uid 2100000000-2100065535 outside, never uid 0, and may switch ids inside (real tcpdump runs)' });
    expect(evaluateDoctor(root).ok).toBe(true);
  });

  it('a failed kernel capability is missing, with the modules to load on the host', () => {
    const p = healthy();
    p.capabilities.veth = { status: 'failed', error: 'Error: Unknown device type.' };
    expect(evaluateDoctor(p).ok).toBe(false);
    expect(find(p, 'kernel-veth')).toMatchObject({ status: 'missing', detail: 'failed: Error: Unknown device type.', fix: { any: expect.stringContaining('sudo modprobe -a veth') } });
  });

  it('a tool that is there but does not run: missing, with a reinstall (or, under /usr/local, what hides the packaged one)', () => {
    const p = healthy();
    p.tools.ip = { path: '/usr/sbin/ip', broken: '`/usr/sbin/ip -V` exited 127: /usr/sbin/ip: error while loading shared libraries: libbpf.so.1' };
    expect(evaluateDoctor(p).ok).toBe(false);
    expect(find(p, 'iproute2')).toMatchObject({
      status: 'missing',
      detail: expect.stringMatching(/^\/usr\/sbin\/ip does not run: `\/usr\/sbin\/ip -V` exited 127: .*libbpf\.so\.1; needed for every lesson/),
      fix: { debian: 'sudo apt-get install --reinstall -y iproute2', fedora: 'sudo dnf reinstall -y iproute' },
    });
    p.tools.ip = { path: '/usr/local/sbin/ip', broken: '`/usr/local/sbin/ip -V` crashed (SIGSEGV)' };
    expect(find(p, 'iproute2').fix).toEqual({ any: "/usr/local/sbin/ip is not from a package and hides the system's copy: repair it, or move it away" });
  });

  it('a sandbox stopped by a tool that does not run: blamed on that tool with its fix, never on user namespaces, never "run netns-tutor doctor", no "?"', () => {
    const p = healthy();
    p.tools.ip = { path: '/usr/sbin/ip', broken: '`/usr/sbin/ip -V` exited 126: ip: broken' };
    p.sandbox = { created: false, error: 'the sandbox init exited (code 126) before it was ready:\nip: broken', usernsDenied: false };
    p.capabilities = {};
    p.brNetfilter = { loaded: true };
    const report = evaluateDoctor(p);
    expect(report.findings.find((f) => f.id === 'userns')).toBeUndefined();
    expect(find(p, 'sandbox')).toMatchObject({
      status: 'missing',
      label: 'the sandbox',
      detail: 'cannot be created, because of ip (iproute2) (above): the sandbox init exited (code 126) before it was ready:\nip: broken',
      fix: { debian: 'sudo apt-get install --reinstall -y iproute2', fedora: 'sudo dnf reinstall -y iproute' },
    });
    expect(find(p, 'kernel-veth').detail).toBe('not tried: no sandbox could be created to try it in (see the sandbox above)');
    const text = renderDoctor(report, p, 100);
    expect(text).not.toContain('netns-tutor doctor`');
    expect(text).not.toContain('?');
    expect(text).not.toMatch(/user namespaces/);
    expect(find(p, 'br-netfilter').detail).toContain('not read here: no sandbox could be made to read it in');
  });

  it('a sandbox error that sends the user to the doctor gets a real fix instead', () => {
    const p = healthy();
    p.capabilities = {};
    p.sandbox = { created: false, error: 'the sandbox needs `mkfifo`, which is not installed.', next: 'Run `netns-tutor doctor` to see every missing tool and the command that installs it.', usernsDenied: false };
    expect(find(p, 'sandbox').fix?.any).toBe("install the package that provides mkfifo: find it with `apt-file search --regexp 'bin/mkfifo$'` (Debian/Ubuntu) or `dnf provides '*/bin/mkfifo'` (Fedora)");
    p.sandbox = { created: false, error: 'cannot build the sandbox: init: cannot mount a private /run', next: 'Run `netns-tutor doctor` to check this machine.', usernsDenied: false };
    const f = find(p, 'sandbox');
    expect(f).toMatchObject({ status: 'missing', detail: 'cannot be created: cannot build the sandbox: init: cannot mount a private /run' });
    expect(f.fix?.any).not.toContain('netns-tutor doctor');
    expect(f.fix?.any).toMatch(/^Nothing above explains it: this is a bug in netns-tutor/);
  });

  it('a kernel capability whose command does not run is blamed on the command, not on kernel modules', () => {
    const p = healthy();
    p.tools.nft = { path: '/usr/sbin/nft', broken: '`/usr/sbin/nft --version` exited 127: nft: error while loading shared libraries' };
    p.capabilities['nft-nat'] = { status: 'failed', error: 'nft: error while loading shared libraries' };
    const f = find(p, 'kernel-nft-nat');
    expect(f.detail).toBe('failed, because `nft` itself does not run (see nft (nftables) above): nft: error while loading shared libraries');
    expect(f.fix).toEqual({ debian: 'sudo apt-get install --reinstall -y nftables', fedora: 'sudo dnf reinstall -y nftables' });
  });

  it('explains br_netfilter when the host has it', () => {
    const p = healthy();
    p.brNetfilter = { loaded: true, callIptables: '1' };
    const f = find(p, 'br-netfilter');
    expect(f.status).toBe('warning');
    expect(f.detail).toContain('net.bridge.bridge-nf-call-iptables=1');
    expect(evaluateDoctor(p).ok).toBe(true);
  });
});

describe('whyBroken', () => {
  const argv = ['/usr/sbin/ip', '-V'];
  const run = (exitCode: number, stderr = '', outcome: 'exited' | 'failed-to-start' | 'timed-out' = 'exited') => ({ outcome, exitCode, stderr });
  it('names what stops a command from running', () => {
    expect(whyBroken(run(127, '/usr/sbin/ip: error while loading shared libraries: libbpf.so.1\n'), argv)).toBe('`/usr/sbin/ip -V` exited 127: /usr/sbin/ip: error while loading shared libraries: libbpf.so.1');
    expect(whyBroken(run(126), argv)).toBe('`/usr/sbin/ip -V` exited 126');
    expect(whyBroken(run(139), argv)).toBe('`/usr/sbin/ip -V` crashed (SIGSEGV)');
    expect(whyBroken(run(-1, 'Command failed with EACCES: /usr/sbin/ip -V\nspawn /usr/sbin/ip EACCES', 'failed-to-start'), argv)).toBe('it cannot be started (spawn /usr/sbin/ip EACCES)');
    expect(whyBroken(run(-1, '', 'timed-out'), argv)).toBe('`/usr/sbin/ip -V` did not finish within 5 s');
  });
  it('lets a tool that runs but refuses the version option be (busybox ping -V exits 1)', () => {
    expect(whyBroken(run(0), argv)).toBeUndefined();
    expect(whyBroken(run(1, "ping: invalid option -- 'V'"), ['/bin/ping', '-V'])).toBeUndefined();
  });
});

describe('parseCapabilityOutput', () => {
  it('reads each capability and the br_netfilter default', () => {
    const out = 'cap veth ok\ncap bridge failed Error: Unknown device type.\ncap nft-nat untested nft is not installed\ncap nonsense ok\nbrnf 1\n';
    expect(parseCapabilityOutput(out)).toEqual({
      capabilities: { veth: { status: 'ok' }, bridge: { status: 'failed', error: 'Error: Unknown device type.' }, 'nft-nat': { status: 'untested', why: 'nft is not installed' } },
      brnf: '1',
    });
    expect(parseCapabilityOutput('brnf absent\n')).toEqual({ capabilities: {} });
  });
});

describe('renderDoctor', () => {
  it('prints each missing item with its fixes and one install line per family', () => {
    const text = renderDoctor(evaluateDoctor(everythingMissing()), { isRoot: false, node: 'v20.20.2' }, 100);
    expect(text).toContain('  ✗ ip (iproute2)');
    expect(text).toContain('      fix, Debian/Ubuntu: sudo apt-get install -y iproute2\n      fix, Fedora:        sudo dnf install -y iproute\n');
    expect(text).toContain('Missing, and needed: ip (iproute2); iptables; nft (nftables);');
    expect(text).toContain('  Debian/Ubuntu: sudo apt-get install -y iproute2 iptables nftables');
    expect(text.split('\n').every((l) => l.length <= 100 || l.includes('sudo '))).toBe(true);
  });

  it('says so when everything is there', () => {
    expect(renderDoctor(evaluateDoctor(healthy()), { isRoot: true, node: 'v20.20.2' })).toContain('Everything netns-tutor needs is here.\n');
  });

  it('wraps words to the width', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('averyverylongword x', 5)).toEqual(['averyverylongword', 'x']);
  });
});
