// Parses `ss -Hltn` (listening TCP sockets) into address and port. Pure.

/** `LISTEN 0 511 0.0.0.0:80 0.0.0.0:*`, `[::]:22`, `127.0.0.53%lo:53`, `*:8080`. */
export function parseListening(text: string): Array<{ address: string; port: number }> {
  const out: Array<{ address: string; port: number }> = [];
  for (const line of text.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    if (!local) continue;
    const colon = local.lastIndexOf(':');
    const port = Number(local.slice(colon + 1));
    if (colon < 0 || !Number.isInteger(port)) continue;
    let address = local.slice(0, colon).replace(/^\[|\]$/g, '');
    address = address.replace(/%.*$/, '');
    if (address === '*') address = '0.0.0.0';
    out.push({ address, port });
  }
  return out;
}
