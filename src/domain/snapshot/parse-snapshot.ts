// Turns the snapshot script's whole output into a Snapshot. Pure.
import type { NamespaceKind, NamespaceState, Snapshot } from './snapshot.js';
import { parseConntrack } from './parse-conntrack.js';
import { parseIpBatch, type ParsedIp } from './parse-ip.js';
import { parseIptablesBackend, parseIptablesSave } from './parse-iptables.js';
import { parseNftRuleset } from './parse-nft.js';
import { parseSections, type RawNamespace } from './parse-sections.js';
import { parseListening } from './parse-ss.js';
import { parseSysctls } from './parse-sysctls.js';
import { resolvePeers } from './resolve-peers.js';

function toKind(kind: string): NamespaceKind {
  return kind === 'host' || kind === 'upstream' ? kind : 'named';
}

function readNamespace(raw: RawNamespace, ip: ParsedIp, backend: string): Omit<NamespaceState, 'links'> {
  const p = raw.parts;
  const ns: Omit<NamespaceState, 'links'> = {
    name: raw.name,
    kind: toKind(raw.kind),
    addresses: ip.addresses,
    routes: ip.routes,
    ...(ip.rules ? { rules: ip.rules } : {}),
    ...(ip.tableRoutes ? { tableRoutes: ip.tableRoutes } : {}),
    neighbours: ip.neighbours,
    sysctls: parseSysctls(p.sysctl?.text ?? ''),
    listening: parseListening(p.ss?.text ?? ''),
  };
  // rc 127: not installed; other non-zero: not allowed (unprivileged) -> unknown, not empty
  if (p.iptables && p.iptables.rc === 0) ns.iptables = parseIptablesSave(p.iptables.text, backend);
  if (p.nft && p.nft.rc === 0) {
    const nft = parseNftRuleset(p.nft.text);
    if (nft) ns.nftables = nft;
  }
  if (p.conntrack && p.conntrack.rc === 0) ns.conntrack = parseConntrack(p.conntrack.text);
  if (p.error) ns.error = p.error.text.trim() || `cannot enter the namespace (exit ${p.error.rc})`;
  else if (!p.ip || p.ip.rc !== 0) ns.error = `ip could not read the namespace (exit ${p.ip?.rc ?? 'none'})`;
  return ns;
}

export function parseSnapshot(output: string): Snapshot {
  const raw = parseSections(output);
  // each iptables-save header names its backend; `iptables -V` was read in older recordings
  const backend = parseIptablesBackend(raw.parts['iptables-version']?.text ?? '') ?? 'unknown';
  const ips = raw.namespaces.map((n) => parseIpBatch(n.parts.ip?.text ?? ''));
  const links = resolvePeers(raw.namespaces.map((n, i) => ({ name: n.name, links: ips[i]!.links, nsidNames: ips[i]!.nsidNames })));
  const files: Record<string, string | null> = {};
  for (const [path, part] of Object.entries(raw.files)) files[path] = part.rc === 0 ? part.text : null;
  return {
    world: raw.world === 'sandbox' ? 'sandbox' : 'host',
    namespaces: raw.namespaces.map((n, i) => {
      const { name, kind, ...rest } = readNamespace(n, ips[i]!, backend);
      return { name, kind, links: links[i]!, ...rest };
    }),
    files,
    ...(raw.unread > 0 ? { unreadNamespaces: raw.unread } : {}),
  };
}
