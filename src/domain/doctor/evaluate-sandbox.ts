// The doctor's judgement of the throwaway sandbox and of the kernel capabilities tried in it. A
// failure is blamed on what caused it (a tool that is missing or does not run, a setting), never
// on user namespaces by default, and its fix is never "run netns-tutor doctor": this is the doctor.
// Pure.
import type { SandboxIdentity } from '../sandbox-identity.js';
import { usernsFixes } from './preflight.js';
import { CAPABILITIES, SANDBOX_TOOLS, TOOLS, type ToolSpec } from './catalog.js';
import { installFix } from './fixes.js';
import type { Finding, Fix, ProbeResults } from './types.js';

/** Tool findings that would stop the sandbox from starting, or that its error names. */
function suspectTools(error: string, tools: readonly Finding[]): Finding[] {
  const named = (spec: ToolSpec) => spec.commands.some((c) => new RegExp(`(^|[\\s\`'"/])${c}([:\\s\`'"]|$)`, 'm').test(error));
  return tools.filter((f) => f.status === 'missing' && f.required && (SANDBOX_TOOLS.includes(f.id) || named(TOOLS.find((t) => t.id === f.id)!)));
}

/** One fix for several findings: one install line when they are all missing packages. */
function joinFixes(findings: readonly Finding[]): Fix | undefined {
  if (findings.every((f) => f.packages)) {
    const uniq = (xs: string[]) => [...new Set(xs)];
    return installFix(uniq(findings.flatMap((f) => f.packages!.debian)), uniq(findings.flatMap((f) => f.packages!.fedora)));
  }
  const present = findings.map((f) => f.fix).filter((f): f is Fix => f !== undefined);
  if (present.length === 0) return undefined;
  const join = (key: keyof Fix) => {
    const parts = present.map((f) => f[key]).filter((x): x is string => x !== undefined);
    return parts.length ? { [key]: parts.join(' && ') } : {};
  };
  return { ...join('debian'), ...join('fedora'), ...join('any') };
}

/** What root inside the sandbox is outside, and what follows for the learner. */
export function whoIsRoot(identity: SandboxIdentity | undefined): string {
  if (identity?.kind === 'range') {
    return `root in the sandbox is uid ${identity.base}-${identity.base + identity.count - 1} outside, never uid 0, and may switch ids inside (real tcpdump runs)`;
  }
  return 'root in the sandbox is your own uid outside (one id: tcpdump cannot switch users, netns-tutor\'s packet watcher stands in for it)';
}

/** The throwaway sandbox: whether user namespaces are allowed, or what else stopped it. */
export function evaluateSandbox(probes: ProbeResults, tools: readonly Finding[]): Finding {
  const userns = { id: 'userns', kind: 'kernel' as const, label: 'user namespaces', required: true };
  const s = probes.sandbox;
  if (s.created) return { ...userns, status: 'ok', detail: `allowed: ${whoIsRoot(s.identity)}` };
  if (s.usernsDenied) return { ...userns, status: 'missing', detail: s.error, fix: { any: s.next ?? usernsFixes() } };
  const base = { id: 'sandbox', kind: 'kernel' as const, label: 'the sandbox', required: true };
  const error = s.error.replace(/^cannot create (the|a) sandbox: /, '');
  const suspects = suspectTools(s.error, tools);
  if (suspects.length > 0) {
    const names = suspects.map((f) => f.label).join('; ');
    const fix = joinFixes(suspects);
    return { ...base, status: 'missing', detail: `cannot be created, because of ${names} (above): ${error}`, ...(fix ? { fix } : {}) };
  }
  const next = s.next && !/netns-tutor doctor/.test(s.next) ? s.next : undefined;
  // a command the catalog does not list (the init's own helpers)
  const notInstalled = /needs `([^`]+)`, which is not installed/.exec(s.error)?.[1];
  const provides = notInstalled
    ? `install the package that provides ${notInstalled}: find it with \`apt-file search --regexp 'bin/${notInstalled}$'\` (Debian/Ubuntu) or \`dnf provides '*/bin/${notInstalled}'\` (Fedora)`
    : undefined;
  return {
    ...base,
    status: 'missing',
    detail: `cannot be created: ${error}`,
    fix: { any: next ?? provides ?? 'Nothing above explains it: this is a bug in netns-tutor, or a limit of this machine it does not know yet. Please report it with this report.' },
  };
}

export function evaluateCapabilities(probes: ProbeResults, tools: readonly Finding[]): Finding[] {
  const sandboxLabel = probes.sandbox.created || probes.sandbox.usernsDenied ? 'user namespaces' : 'the sandbox';
  return CAPABILITIES.map((c): Finding => {
    const base = { id: `kernel-${c.id}`, kind: 'kernel' as const, label: c.label, required: c.required };
    const p = probes.capabilities[c.id] ?? { status: 'untested' as const, why: `no sandbox could be created to try it in (see ${sandboxLabel} above)` };
    if (p.status === 'ok') return { ...base, status: 'ok', detail: 'works' };
    if (p.status === 'untested') return { ...base, status: 'warning', detail: `not tried: ${p.why}` };
    // the command that tries it does not run: the kernel is not to blame
    const tool = tools.find((f) => f.status === 'missing' && TOOLS.find((t) => t.id === f.id)?.commands.includes(c.tool));
    if (tool && probes.tools[c.tool]?.broken) {
      return { ...base, status: 'missing', detail: `failed, because \`${c.tool}\` itself does not run (see ${tool.label} above): ${p.error}`, ...(tool.fix ? { fix: tool.fix } : {}) };
    }
    const fix = c.modules.length > 0 ? { any: `sudo modprobe -a ${c.modules.join(' ')}   (the sandbox cannot load kernel modules itself)` } : undefined;
    return { ...base, status: 'missing', detail: `failed: ${p.error}`, ...(fix ? { fix } : {}) };
  });
}
