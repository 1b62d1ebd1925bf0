// The doctor's judgement: probe results in, one finding per tool and kernel capability out, each
// ok / missing / warning with the exact command that fixes it. Pure.
import { usernsFixes } from '../sandbox/preflight.js';
import { CAPABILITIES, CNI, TOOLS, type ToolSpec } from './catalog.js';
import type { DoctorReport, Finding, Fix, ProbeResults } from './types.js';

const apt = (pkgs: readonly string[]) => `sudo apt-get install -y ${pkgs.join(' ')}`;
const dnf = (pkgs: readonly string[]) => `sudo dnf install -y ${pkgs.join(' ')}`;
const installFix = (debian: readonly string[], fedora: readonly string[]): Fix => ({ debian: apt(debian), fedora: dnf(fedora) });

function evaluateTool(spec: ToolSpec, probes: ProbeResults): Finding {
  const base = { id: spec.id, kind: 'tool' as const, label: spec.label, required: spec.required };
  const missing = spec.commands.filter((c) => !probes.tools[c]?.path);
  if (missing.length > 0) {
    return {
      ...base,
      status: 'missing',
      detail: `${missing.join(', ')} not found; needed for ${spec.why}`,
      fix: installFix(spec.debian, spec.fedora),
      packages: { debian: spec.debian, fedora: spec.fedora },
    };
  }
  const first = probes.tools[spec.commands[0]!]!;
  return { ...base, status: 'ok', detail: first.version ?? first.path ?? '' };
}

/** iptables-nft and iptables-legacy keep separate rule sets; the lessons and the checks read the
 *  nf_tables one. */
function evaluateIptablesBackend(probes: ProbeResults): Finding | undefined {
  const version = probes.tools.iptables?.version;
  if (!probes.tools.iptables?.path || !version) return undefined;
  const base = { id: 'iptables-backend', kind: 'tool' as const, label: 'iptables backend', required: true };
  if (/nf_tables/.test(version)) return { ...base, status: 'ok', detail: 'nf_tables (iptables-nft)' };
  return {
    ...base,
    status: 'warning',
    detail: `${/legacy/.test(version) ? 'legacy' : 'unknown'} (${version}): rules made with it are invisible to nft; the lessons assume iptables-nft`,
    fix: {
      debian: 'sudo update-alternatives --set iptables /usr/sbin/iptables-nft && sudo update-alternatives --set ip6tables /usr/sbin/ip6tables-nft',
      fedora: 'sudo dnf install -y iptables-nft && sudo alternatives --set iptables /usr/sbin/iptables-nft',
    },
  };
}

function evaluateCni(probes: ProbeResults): Finding {
  const base = { id: 'cni-plugins', kind: 'tool' as const, label: CNI.label, required: false };
  const missing = CNI.plugins.filter((p) => !probes.cni.plugins.includes(p));
  if (probes.cni.dir && missing.length === 0) return { ...base, status: 'ok', detail: `${CNI.plugins.join(', ')} in ${probes.cni.dir}` };
  return {
    ...base,
    status: 'missing',
    detail: `${probes.cni.dir ? `${missing.join(', ')} missing in ${probes.cni.dir}` : `none in ${CNI.dirs.join(', ')}`}; lesson 8 can run the real plugins by hand with them`,
    fix: installFix(CNI.debian, CNI.fedora),
    packages: { debian: CNI.debian, fedora: CNI.fedora },
  };
}

function evaluateUserns(probes: ProbeResults): Finding {
  const base = { id: 'userns', kind: 'kernel' as const, label: 'user namespaces', required: true };
  const s = probes.sandbox;
  if (s.created && s.mode === 'userns') return { ...base, status: 'ok', detail: 'allowed: the sandbox runs in a user namespace, root only inside it' };
  if (s.created) {
    return {
      ...base,
      status: 'warning',
      detail: 'forbidden on this machine; as root the sandbox runs without one (still its own network, mount and PID namespaces). Ordinary users cannot run netns-tutor here.',
      fix: { any: 'to let ordinary users run it: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0   (or user.max_user_namespaces=15000, kernel.unprivileged_userns_clone=1, whichever is set)' },
    };
  }
  if (s.usernsDenied) return { ...base, status: 'missing', detail: s.error, fix: { any: s.next ?? usernsFixes() } };
  return { ...base, status: 'missing', detail: `cannot create a sandbox: ${s.error}`, ...(s.next ? { fix: { any: s.next } } : {}) };
}

function evaluateCapabilities(probes: ProbeResults): Finding[] {
  return CAPABILITIES.map((c): Finding => {
    const base = { id: `kernel-${c.id}`, kind: 'kernel' as const, label: c.label, required: c.required };
    const p = probes.capabilities[c.id] ?? { status: 'untested' as const, why: 'no sandbox could be created to try it in (see user namespaces above)' };
    if (p.status === 'ok') return { ...base, status: 'ok', detail: 'works' };
    if (p.status === 'untested') return { ...base, status: 'warning', detail: `not tried: ${p.why}` };
    const fix = c.modules.length > 0 ? { any: `sudo modprobe -a ${c.modules.join(' ')}   (the sandbox cannot load kernel modules itself)` } : undefined;
    return { ...base, status: 'missing', detail: `failed: ${p.error}`, ...(fix ? { fix } : {}) };
  });
}

function evaluateBrNetfilter(probes: ProbeResults): Finding {
  const base = { id: 'br-netfilter', kind: 'kernel' as const, label: 'br_netfilter on the host', required: false };
  if (!probes.brNetfilter.loaded) {
    return { ...base, status: 'ok', detail: 'not loaded: traffic bridged between namespaces does not pass through iptables' };
  }
  return {
    ...base,
    status: 'warning',
    detail:
      `present in this kernel (built in, or loaded as on any Docker or Kubernetes host): every new namespace starts with net.bridge.bridge-nf-call-iptables=${probes.brNetfilter.callIptables ?? '?'}, ` +
      'so traffic bridged between namespaces passes iptables FORWARD and the nat table. Nothing to fix: the lessons say where it matters, and a sandbox may set it to 0 for itself.',
  };
}

function installAll(findings: readonly Finding[]): DoctorReport['installAll'] {
  const missing = findings.filter((f) => f.status === 'missing' && f.packages);
  if (missing.length === 0) return undefined;
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    debian: apt(uniq(missing.flatMap((f) => f.packages!.debian))),
    fedora: dnf(uniq(missing.flatMap((f) => f.packages!.fedora))),
  };
}

export function evaluateDoctor(probes: ProbeResults): DoctorReport {
  const findings: Finding[] = [];
  for (const spec of TOOLS) {
    findings.push(evaluateTool(spec, probes));
    if (spec.id === 'iptables') {
      const backend = evaluateIptablesBackend(probes);
      if (backend) findings.push(backend);
    }
  }
  findings.push(evaluateCni(probes), evaluateUserns(probes), ...evaluateCapabilities(probes), evaluateBrNetfilter(probes));
  return {
    ok: !findings.some((f) => f.required && f.status === 'missing'),
    findings,
    installAll: installAll(findings),
  };
}
