// The doctor's judgement: probe results in, one finding per tool and kernel capability out, each
// ok / missing / warning with the exact command that fixes it. Pure.
import { CNI, TOOLS, type ToolSpec } from './catalog.js';
import { evaluateCapabilities, evaluateSandbox } from './evaluate-sandbox.js';
import { apt, dnf, installFix, reinstallFix } from './fixes.js';
import type { DoctorReport, Finding, Fix, ProbeResults } from './types.js';

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
  const broken = spec.commands.filter((c) => probes.tools[c]?.broken);
  if (broken.length > 0) {
    const what = broken.map((c) => `${probes.tools[c]!.path} does not run: ${probes.tools[c]!.broken}`).join('; ');
    // a copy outside the package's directories hides the packaged one: reinstalling would not help
    const local = broken.map((c) => probes.tools[c]!.path!).filter((p) => p.startsWith('/usr/local/'));
    const fix: Fix = local.length
      ? { any: `${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} not from a package and ${local.length === 1 ? 'hides' : 'hide'} the system's copy: repair ${local.length === 1 ? 'it' : 'them'}, or move ${local.length === 1 ? 'it' : 'them'} away` }
      : reinstallFix(spec);
    return { ...base, status: 'missing', detail: `${what}; needed for ${spec.why}`, fix };
  }
  const first = probes.tools[spec.commands[0]!]!;
  return { ...base, status: 'ok', detail: first.version ?? first.path ?? '' };
}

/** Real tcpdump cannot capture in the rootless sandbox (it switches to its own user); there
 *  netns-tutor's packet watcher, on python3, stands in for it. */
function noteCapture(found: Finding, probes: ProbeResults): Finding {
  if (found.id !== 'tcpdump' || found.status !== 'ok') return found;
  const python = probes.tools.python3;
  const how = python?.path && !python.broken
    ? "captures via netns-tutor's watcher in the rootless sandbox"
    : "cannot capture in the rootless sandbox until python3 is there: netns-tutor's watcher, which stands in for it, runs on it";
  return { ...found, detail: `${found.detail}; ${how}` };
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

/** What a new namespace starts with, as read in the throwaway sandbox (unknown when none could be made). */
function startsWith(callIptables: string | undefined): string {
  if (callIptables === '0') return 'yet a new namespace starts with net.bridge.bridge-nf-call-iptables=0, so traffic bridged between namespaces does not pass iptables';
  const effect = 'traffic bridged between namespaces passes iptables FORWARD and the nat table';
  if (callIptables !== undefined) return `every new namespace starts with net.bridge.bridge-nf-call-iptables=${callIptables}, so ${effect}`;
  return `where a new namespace starts with net.bridge.bridge-nf-call-iptables=1 (not read here: no sandbox could be made to read it in), ${effect}`;
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
      `present in this kernel (built in, or loaded as on any Docker or Kubernetes host): ${startsWith(probes.brNetfilter.callIptables)}. ` +
      'Nothing to fix: the lessons say where it matters, and a sandbox may set it to 0 for itself.',
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
    findings.push(noteCapture(evaluateTool(spec, probes), probes));
    if (spec.id === 'iptables') {
      const backend = evaluateIptablesBackend(probes);
      if (backend) findings.push(backend);
    }
  }
  const tools = [...findings];
  findings.push(evaluateCni(probes), evaluateSandbox(probes, tools), ...evaluateCapabilities(probes, tools), evaluateBrNetfilter(probes));
  return {
    ok: !findings.some((f) => f.required && f.status === 'missing'),
    findings,
    installAll: installAll(findings),
  };
}
