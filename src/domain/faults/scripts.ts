// Small bash builders the base networks share: entering a namespace and starting a TCP listener
// that the probes can connect to. Pure (they return script text).

/** The prefix that runs a command in namespace NS ('host' is the sandbox's own). */
export function inNamespace(ns: string): string {
  return ns === 'host' ? '' : `ip netns exec ${ns} `;
}

/** Starts a TCP listener on ADDRESS:PORT in NS (it accepts and closes: the probes only connect)
 *  and waits until the kernel shows it listening. */
export function listenScript(ns: string, port: number, address = '0.0.0.0'): string {
  const perl = `use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => "${address}", LocalPort => ${port}, Listen => 16, ReuseAddr => 1) or die "listen: $!"; while (my $c = $s->accept) { close $c }`;
  return `
${inNamespace(ns)}perl -e '${perl}' >/dev/null 2>&1 </dev/null &
for _ in $(seq 300); do ${inNamespace(ns)}ss -Hltn "sport = :${port}" | grep -q . && break; sleep 0.01; done
${inNamespace(ns)}ss -Hltn "sport = :${port}" | grep -q . || { echo "no listener on ${address}:${port} in ${ns}" >&2; exit 1; }
`;
}
