// Normalising the ways addresses and ports are written, so a spec and the kernel's output compare
// by meaning ("10.0.0.1" and "10.0.0.1/32", "192.168.202.5/24" and "192.168.202.0/24").

function ipv4ToNumber(a: string): number | undefined {
  const parts = a.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** A network in canonical form: IPv4 masked to its prefix ("192.168.202.0/24"), host addresses
 *  with /32 (or /128); 'default' and other words pass through lower-cased. */
export function normaliseCidr(text: string): string {
  const t = text.trim().toLowerCase();
  if (t === 'default' || t === '0.0.0.0/0') return t === 'default' ? 'default' : '0.0.0.0/0';
  const [addr = '', prefixText] = t.split('/');
  const v4 = ipv4ToNumber(addr);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return t;
    const size = 2 ** (32 - prefix);
    return `${numberToIpv4(Math.floor(v4 / size) * size)}/${prefix}`;
  }
  if (addr.includes(':')) return `${addr}/${prefixText ?? '128'}`;
  return t;
}

/** Ports and ranges: "8000-8080" and "8000:8080" are the same range. */
export function normalisePort(text: string): string {
  return text.trim().replace('-', ':');
}

/** "192.168.202.11:80" -> address and port (either may be absent). */
export function splitHostPort(text: string): { host: string; port?: string } {
  const m = /^(.*?)(?::(\d+(?:[-:]\d+)?))?$/.exec(text.trim());
  const host = m?.[1] ?? text;
  const port = m?.[2];
  return port !== undefined ? { host, port: normalisePort(port) } : { host };
}
