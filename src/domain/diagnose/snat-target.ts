// An SNAT to an address the translating namespace does not have: the answers go to that address,
// and unless something routes it back, they never return to be translated back (nobody on the
// link has it, another namespace has it and keeps them or drops the packet as a martian, or the
// replier has no route to it). The rule is the
// fault; the fix deletes it, and puts the right one in its place unless a later rule already
// translates the packet to an address the namespace has. Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { ipIn, runIn } from './commands.js';
import { deleteNatRule, natRuleEvidence, natWithout, replaceNftRule } from './nat-rules.js';
import type { Evidence, Fault } from './types.js';
import type { NatEntry, Walk } from './walk-state.js';
import { addressLine, findNamespace, ipv4Addresses, isLocal } from './world.js';

/** Why the answers do not come back. */
export type SnatLoss = { nobody: true } | { holder: NamespaceState } | { noRoute: NamespaceState } | { martian: NamespaceState };

/** Delete the iptables rule, and insert `target` (the words from -j on) at its place. */
function replaceIptablesTarget(w: Walk, ns: NamespaceState, e: NatEntry, target: string): string[] {
  const chain = /^-A (\S+)/.exec(e.rule)?.[1] ?? 'POSTROUTING';
  const rules = (ns.iptables?.tables.nat?.rules ?? []).filter((r) => r.chain === chain);
  const at = rules.findIndex((r) => r.text === e.rule) + 1;
  const insert = e.rule.replace(/^-A \S+/, `-I ${chain}${at > 0 ? ` ${at}` : ''}`).replace(/-j SNAT .*$/, target);
  return [deleteNatRule(w, e), runIn(ns, `iptables -t nat ${insert}`)];
}

/** The rule again, at its place in its chain, with `--to-source` (or nft's `snat to`) changed. */
function replaceSource(w: Walk, ns: NamespaceState, e: NatEntry, to: string): string[] {
  if (e.nft) return [replaceNftRule(ns, e.nft, e.rule.replace(/snat (ip )?to \S+/, `snat $1to ${to}`))];
  return replaceIptablesTarget(w, ns, e, `-j SNAT --to-source ${to}`);
}

function lossWords(ns: NamespaceState, address: string, loss: SnatLoss, out: string): string {
  if ('holder' in loss) return `${address} is ${loss.holder.name}'s own address, so ${loss.holder.name} keeps the answers and they never come back to ${ns.name}`;
  if ('martian' in loss) return `${address} is ${loss.martian.name}'s own address, so ${loss.martian.name} drops what arrives from it (a martian source) and nothing comes back to ${ns.name}`;
  if ('noRoute' in loss) return `${loss.noRoute.name} has no route to ${address}, so the answers never come back to ${ns.name}`;
  return `nobody on the link behind ${ns.name}'s ${out} has ${address}, so the answers never come back to ${ns.name}`;
}

/** The SNAT done on the way to `address`, when the translating namespace does not have it. */
export function snatToNowhere(w: Walk, address: string, loss: SnatLoss, evidence: Evidence[] = []): Fault | undefined {
  const e = [...w.nat].reverse().find((x) => x.kind === 'snat' && x.after.address === address);
  const ns = e && findNamespace(w.snapshot, e.namespace);
  if (!e || !ns || isLocal(ns, address)) return undefined;
  const out = e.at?.out ?? '';
  const own = ipv4Addresses(ns, out).find((a) => a.scope !== 'host')?.address;
  const instead = natWithout(w, e);
  const covered = instead && isLocal(ns, instead.address) ? instead : undefined;
  let fix: string[];
  if (covered) {
    fix = [deleteNatRule(w, e)];
    w.notes.push(`Without it, the later rule \`${covered.rule}\` translates the source to ${covered.address}, ${ns.name}'s own address.`);
  } else if (own) {
    fix = replaceSource(w, ns, e, own);
    if (!e.nft) w.notes.push(`Or let the kernel pick ${ns.name}'s address on ${out} itself: ${replaceIptablesTarget(w, ns, e, '-j MASQUERADE').join('; ')}.`);
  } else {
    fix = [deleteNatRule(w, e), `# then translate to an address ${ns.name} has on ${out || 'its way out'} (or MASQUERADE)`];
  }
  const mine = own ? ` (${ns.name}'s own address on ${out} is ${own})` : '';
  return {
    kind: 'snat-to-nowhere',
    namespace: ns.name,
    what: `${ns.name} translates the source ${e.before.address} to ${address} (SNAT), an address it does not have${mine}: ${lossWords(ns, address, loss, out)}.`,
    evidence: [natRuleEvidence(w, e), ...(out ? [{ command: ipIn(ns, `-br addr show ${out}`), line: addressLine(ns, out) }] : []), ...evidence],
    fix,
  };
}
