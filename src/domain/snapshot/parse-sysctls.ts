// Turns `/proc/sys/PATH:VALUE` lines into sysctls by dotted name. Pure.

/** /proc/sys/net/ipv4/conf/eth0.100/rp_filter -> net.ipv4.conf.eth0/100.rp_filter (sysctl's own
 *  spelling: a dot inside an interface name becomes a slash). */
export function sysctlName(path: string): string {
  const rel = path.replace(/^\/proc\/sys\//, '');
  const parts = rel.split('/');
  return parts.map((p) => p.replace(/\./g, '/')).join('.');
}

export function parseSysctls(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || !line.startsWith('/proc/sys/')) continue;
    out[sysctlName(line.slice(0, colon))] = line.slice(colon + 1).trim();
  }
  return out;
}
