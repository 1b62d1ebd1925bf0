// The doctor's data: what the prober found on this machine (plain data, recorded or faked in tests)
// and what the evaluation says about it. Pure types.
import type { SandboxIdentity, SandboxMode } from '../sandbox-identity.js';

export interface ToolProbe {
  /** Where the command is, on the PATH the sandbox uses; undefined when missing. */
  path?: string;
  /** The first line its version option printed. */
  version?: string;
  /** It is there but does not run (cannot be executed, a library is missing, it crashes): why,
   *  in the words of the loader or the shell. */
  broken?: string;
}

export type CapabilityId = 'netns' | 'veth' | 'bridge' | 'nft-nat' | 'iptables-nat' | 'conntrack';

export type CapabilityProbe =
  | { status: 'ok' }
  | { status: 'failed'; error: string }
  /** Not tried: why (no sandbox could be created, or the tool it needs is missing). */
  | { status: 'untested'; why: string };

export interface ProbeResults {
  node: string;
  isRoot: boolean;
  /** Keyed by command name (ip, iptables, nft, ping, unshare, ...). */
  tools: Record<string, ToolProbe>;
  /** The directory holding the CNI plugins, and the plugins in it. */
  cni: { dir?: string; plugins: string[] };
  /** The throwaway sandbox the kernel capabilities were tried in. */
  sandbox:
    | { created: true; mode: SandboxMode; identity?: SandboxIdentity }
    /** `next`: what the error said to do; `usernsDenied`: user namespaces were refused. */
    | { created: false; error: string; next?: string; usernsDenied: boolean };
  capabilities: Partial<Record<CapabilityId, CapabilityProbe>>;
  /** br_netfilter on the host: /proc/sys/net/bridge exists; the value new namespaces start with. */
  brNetfilter: { loaded: boolean; callIptables?: string };
}

export type FindingStatus = 'ok' | 'missing' | 'warning';

export interface Fix {
  debian?: string;
  fedora?: string;
  /** A fix that is the same everywhere (a sysctl). */
  any?: string;
}

export interface Finding {
  id: string;
  kind: 'tool' | 'kernel';
  label: string;
  required: boolean;
  status: FindingStatus;
  /** What was found, or what is wrong and what it means. */
  detail: string;
  fix?: Fix;
  /** Packages that fix it, for the one install line at the end. */
  packages?: { debian: string[]; fedora: string[] };
}

export interface DoctorReport {
  /** False when something required is missing (the exit status is then non-zero). */
  ok: boolean;
  findings: Finding[];
  /** One command per distribution family installing every missing package. */
  installAll?: { debian: string; fedora: string };
}
