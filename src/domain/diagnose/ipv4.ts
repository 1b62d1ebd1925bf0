// IPv4 arithmetic the walk needs: parse, prefixes, containment, longest prefix match. Pure.

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== undefined;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** 'default' -> 0.0.0.0/0; '10.0.0.1' -> /32. Undefined for IPv6 or junk. */
export function parseCidr(text: string): { base: number; prefix: number } | undefined {
  if (text === 'default') return { base: 0, prefix: 0 };
  const [addr, p] = text.split('/');
  const base = parseIpv4(addr ?? '');
  const prefix = p === undefined ? 32 : Number(p);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  return { base: (base & mask(prefix)) >>> 0, prefix };
}

export function inCidr(address: string, cidr: string): boolean {
  const a = parseIpv4(address);
  const c = parseCidr(cidr);
  return a !== undefined && c !== undefined && ((a & mask(c.prefix)) >>> 0) === c.base;
}

/** The network of an address with a prefix: ('192.168.202.11', 24) -> '192.168.202.0/24'. */
export function networkOf(address: string, prefix: number): string {
  const a = parseIpv4(address) ?? 0;
  return `${formatIpv4((a & mask(prefix)) >>> 0)}/${prefix}`;
}

export function prefixOf(cidr: string): number {
  return parseCidr(cidr)?.prefix ?? -1;
}

/** RFC 1918 and the shared/CGNAT range: addresses the internet has no route back to. */
export function isPrivate(address: string): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].some((c) => inCidr(address, c));
}
