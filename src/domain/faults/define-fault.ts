// A compact way to write a base's fault kinds: one call per kind, the base given once.
import type { BaseId, FaultKind, FaultLevel, FaultTopic } from './types.js';

export interface FaultSpec {
  id: string;
  title: string;
  topic: FaultTopic;
  level: FaultLevel;
  inject: string;
  /** [namespace, mention]: see FaultElement. */
  names: [string, string];
  breaks: string;
}

export function faultsOn(base: BaseId, specs: readonly FaultSpec[]): FaultKind[] {
  return specs.map(({ names: [namespace, mention], ...s }) => ({ ...s, base, element: { namespace, mention } }));
}

/** Bash: deletes the nft rule of TABLE's CHAIN whose listing contains TEXT (by its handle). */
export function deleteNftRule(table: string, chain: string, text: string): string {
  return `nft delete rule ${table} ${chain} handle "$(nft -a list chain ${table} ${chain} | grep -F '${text}' | sed -n 's/.*# handle \\([0-9]*\\)$/\\1/p' | head -1)"`;
}

/** Bash: replaces the nft rule of TABLE's CHAIN whose listing contains TEXT with RULE. */
export function replaceNftRule(table: string, chain: string, text: string, rule: string): string {
  return `nft replace rule ${table} ${chain} handle "$(nft -a list chain ${table} ${chain} | grep -F '${text}' | sed -n 's/.*# handle \\([0-9]*\\)$/\\1/p' | head -1)" ${rule}`;
}
