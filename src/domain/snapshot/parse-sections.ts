// Splits the snapshot script's output into its marked parts. Pure.
// Markers are lines starting with \x1e: `world W`, `file PATH`, `ns KIND NAME`, `part NAME`,
// `rc N`, `unread N`. A part's text runs from its marker to the `\n\x1erc N` the script appends after it.

export interface Part {
  /** The command's stdout, exactly as printed. */
  text: string;
  /** Its exit status. */
  rc: number;
}

export interface RawNamespace {
  kind: string;
  name: string;
  parts: Record<string, Part>;
}

export interface RawSnapshot {
  world: string;
  /** Parts outside any namespace (iptables-version). */
  parts: Record<string, Part>;
  files: Record<string, Part>;
  namespaces: RawNamespace[];
  /** Named namespaces that exist but were not read (the script's cap). */
  unread: number;
}

const MARK = '\x1e';

/** Reads the script's output; unknown markers are ignored so old parsers survive new scripts. */
export function parseSections(output: string): RawSnapshot {
  const raw: RawSnapshot = { world: '', parts: {}, files: {}, namespaces: [], unread: 0 };
  let ns: RawNamespace | undefined;
  let open: { into: Record<string, Part>; key: string; lines: string[] } | undefined;
  for (const line of output.split('\n')) {
    if (!line.startsWith(MARK)) {
      open?.lines.push(line);
      continue;
    }
    const body = line.slice(1);
    const space = body.indexOf(' ');
    const word = space < 0 ? body : body.slice(0, space);
    const rest = space < 0 ? '' : body.slice(space + 1);
    if (word === 'rc') {
      if (open) {
        // the '\n' the script adds before this marker is the separator join() leaves out
        open.into[open.key] = { text: open.lines.join('\n'), rc: Number(rest) };
      }
      open = undefined;
    } else if (word === 'unread') {
      raw.unread = Number(rest) || 0;
    } else if (word === 'world') {
      raw.world = rest.trim();
    } else if (word === 'file') {
      open = { into: raw.files, key: rest, lines: [] };
    } else if (word === 'ns') {
      const s = rest.indexOf(' ');
      ns = { kind: rest.slice(0, s), name: rest.slice(s + 1), parts: {} };
      raw.namespaces.push(ns);
      open = undefined;
    } else if (word === 'part') {
      open = { into: rest === 'iptables-version' || !ns ? raw.parts : ns.parts, key: rest, lines: [] };
    }
  }
  return raw;
}
