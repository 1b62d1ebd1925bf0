// The doctor's judgement over probe results (pure): a healthy machine, everything missing, and
// the cases in between, each with the exact fix; and the text it prints.
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../src/doctor/catalog.js';
import { evaluateDoctor } from '../src/doctor/evaluate.js';
import { parseCapabilityOutput } from '../src/doctor/probe.js';
import { renderDoctor, wrapText } from '../src/doctor/render.js';
import type { ProbeResults } from '../src/doctor/types.js';

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
    expect(find(everythingMissing(), 'userns')).toMatchObject({ status: 'missing', detail: 'cannot create a sandbox: `unshare` was not found.' });
    for (const id of ['kernel-veth', 'kernel-bridge', 'kernel-nft-nat']) expect(find(everythingMissing(), id).status).toBe('warning');
    expect(report.installAll).toEqual({
      debian: 'sudo apt-get install -y iproute2 iptables nftables iputils-ping util-linux mount curl conntrack python3 tcpdump jq containernetworking-plugins',
      fedora: 'sudo dnf install -y iproute iptables-nft nftables iputils util-linux curl conntrack-tools python3 tcpdump jq containernetworking-plugins',
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

  it('refused user namespaces: missing, with both fixes; as root in fallback: a warning', () => {
    const p = healthy();
    p.sandbox = { created: false, error: 'cannot create the sandbox: unshare: write failed /proc/self/uid_map: Operation not permitted', next: 'Either run netns-tutor as root ... sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0', usernsDenied: true };
    p.capabilities = {};
    expect(evaluateDoctor(p).ok).toBe(false);
    expect(find(p, 'userns')).toMatchObject({ status: 'missing', fix: { any: p.sandbox.next } });
    const root = healthy();
    root.isRoot = true;
    root.sandbox = { created: true, mode: 'root' };
    expect(find(root, 'userns').status).toBe('warning');
    expect(evaluateDoctor(root).ok).toBe(true);
  });

  it('a failed kernel capability is missing, with the modules to load on the host', () => {
    const p = healthy();
    p.capabilities.veth = { status: 'failed', error: 'Error: Unknown device type.' };
    expect(evaluateDoctor(p).ok).toBe(false);
    expect(find(p, 'kernel-veth')).toMatchObject({ status: 'missing', detail: 'failed: Error: Unknown device type.', fix: { any: expect.stringContaining('sudo modprobe -a veth') } });
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
