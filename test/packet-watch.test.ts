// tcpdump in the rootless sandbox is netns-tutor's packet watcher (assets/packet-watch/, which
// python3 -B runs as a directory): real packets on a real veth pair between fox and bear, printed
// as tcpdump prints them, its filter subset, -i any, and its clear refusals. Waits are for events
// (the "listening" line, lines in a file), never for time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packetWatchPath } from '../src/world/sandbox/paths.js';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';

let sb: Sandbox;

const LAB = `
set -e
ip netns add fox
ip netns add bear
ip link add veth-fox netns fox type veth peer name veth-bear netns bear
ip -n fox addr add 192.168.202.11/24 dev veth-fox
ip -n bear addr add 192.168.202.12/24 dev veth-bear
for ns in fox bear; do ip -n $ns link set lo up; ip -n $ns link set veth-$ns up; done
`;

// start WATCH (a tcpdump command) in the background, wait until it listens, run TRAFFIC, then
// wait for the watcher (it has -c) or, with STOP set, send it SIGINT once STOP lines are out
const CAPTURE = String.raw`
capture() {
  local d; d=$(mktemp -d /run/tutor/tmp/watch.XXXXXX)
  # exec: $! is then the watcher itself (ip netns exec and the wrapper exec too), for kill -INT
  eval "exec $1" >"$d/out" 2>"$d/err" &
  local w=$!
  for _ in $(seq 1000); do grep -q '^listening on' "$d/err" && break; kill -0 $w 2>/dev/null || break; sleep 0.01; done
  eval "$2" >/dev/null 2>&1
  if [ -n "$3" ]; then
    for _ in $(seq 1000); do [ "$(wc -l <"$d/out")" -ge "$3" ] && break; sleep 0.01; done
    kill -INT $w
  fi
  wait $w
  echo "status $?"
  cat "$d/out"
  echo '--- stderr'
  cat "$d/err"
}
`;

interface Capture {
  status: number;
  lines: string[];
  stderr: string;
}

/** Runs the watcher while `traffic` runs; `stopAfter`: SIGINT once that many lines are out. */
async function capture(watch: string, traffic: string, stopAfter?: number): Promise<Capture> {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const r = await sb.run(`${CAPTURE}\ncapture ${q(watch)} ${q(traffic)} ${stopAfter ?? ''}`, { timeoutMs: 20_000 });
  expect(r.outcome, r.stderr).toBe('exited');
  const [head, rest = ''] = r.stdout.split('\n--- stderr\n');
  const [statusLine = '', ...lines] = head!.split('\n').filter((l) => l !== '');
  return { status: Number(statusLine.replace('status ', '')), lines: lines.map(stripTime), stderr: rest };
}

const TIME = /^\d\d:\d\d:\d\d\.\d{6} /;
function stripTime(line: string): string {
  expect(line).toMatch(TIME);
  return line.replace(TIME, '');
}

async function macOf(ns: string, link: string): Promise<string> {
  const r = await sb.run(`ip -n ${ns} -j link show ${link}`);
  return (JSON.parse(r.stdout) as Array<{ address: string }>)[0]!.address;
}

beforeAll(async () => {
  // the user namespace is where real tcpdump cannot capture and the watcher stands in
  // root's sandbox runs real tcpdump: ask for the watcher there too
  sb = await createSandbox({ mode: 'userns', internet: false, tcpdump: 'watcher' });
  const r = await sb.run(LAB);
  expect(r.exitCode, r.stderr).toBe(0);
});
afterAll(() => sb.dispose());

describe('tcpdump in the rootless sandbox', () => {
  it('is the watcher, and says so once before "listening on", as tcpdump does', async () => {
    const c = await capture('ip netns exec fox tcpdump -c 2 -n -i veth-fox icmp', 'ip netns exec fox ping -c1 192.168.202.12');
    expect(c.status).toBe(0);
    expect(c.lines).toEqual([
      expect.stringMatching(/^IP 192\.168\.202\.11 > 192\.168\.202\.12: ICMP echo request, id \d+, seq 1, length 64$/),
      expect.stringMatching(/^IP 192\.168\.202\.12 > 192\.168\.202\.11: ICMP echo reply, id \d+, seq 1, length 64$/),
    ]);
    const err = c.stderr.split('\n');
    expect(err[0]).toMatch(/^netns-tutor: this is netns-tutor's packet watcher standing in for tcpdump/);
    expect(err[1]).toBe('listening on veth-fox, link-type EN10MB (Ethernet), snapshot length 262144 bytes');
    expect(c.stderr).toContain('2 packets captured\n');
  });

  it('shows ARP who-has and is-at after a neighbour flush, with the MACs under -e', async () => {
    const [fox, bear] = [await macOf('fox', 'veth-fox'), await macOf('bear', 'veth-bear')];
    // flushed before the watcher starts: no probe of an old entry can slip in
    expect((await sb.run('ip -n fox neigh flush all && ip -n bear neigh flush all')).exitCode).toBe(0);
    const c = await capture('ip netns exec fox tcpdump -e -c 2 -n -i veth-fox arp', 'ip netns exec fox ping -c1 192.168.202.12');
    expect(c.status).toBe(0);
    expect(c.lines).toEqual([
      `${fox} > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 192.168.202.12 tell 192.168.202.11, length 28`,
      `${bear} > ${fox}, ethertype ARP (0x0806), length 42: Reply 192.168.202.12 is-at ${bear}, length 28`,
    ]);
  });

  it('shows a TCP handshake to a listening port with "tcp port 80", and a udp watcher sees none of it', async () => {
    const server = await sb.run(
      'ip netns exec bear python3 -m http.server 80 --bind 192.168.202.12 >/dev/null 2>&1 & ' +
        'for _ in $(seq 500); do ip netns exec bear ss -Hltn "sport = :80" | grep -q . && exit 0; sleep 0.01; done; exit 1',
    );
    expect(server.exitCode).toBe(0);
    // a second watcher, for udp, listens during the whole handshake and is then interrupted
    const udp = sb.run(
      `${CAPTURE}\ncapture 'ip netns exec fox tcpdump -n -i veth-fox udp' 'touch /run/tutor/tmp/udp-ready; while [ ! -e /run/tutor/tmp/tcp-done ]; do sleep 0.01; done' 0`,
      { timeoutMs: 20_000 },
    );
    expect((await sb.run('for _ in $(seq 1000); do [ -e /run/tutor/tmp/udp-ready ] && exit 0; sleep 0.01; done; exit 1')).exitCode).toBe(0);
    const c = await capture('ip netns exec fox tcpdump -c 3 -n -i veth-fox tcp port 80', 'ip netns exec fox curl -s -m 5 http://192.168.202.12/');
    await sb.run('touch /run/tutor/tmp/tcp-done');
    expect(c.status).toBe(0);
    expect(c.lines).toEqual([
      expect.stringMatching(/^IP 192\.168\.202\.11\.\d+ > 192\.168\.202\.12\.80: Flags \[S\], seq \d+, win \d+, options \[mss \d+,.*\], length 0$/),
      expect.stringMatching(/^IP 192\.168\.202\.12\.80 > 192\.168\.202\.11\.\d+: Flags \[S\.\], seq \d+, ack \d+, win \d+, options \[.*\], length 0$/),
      expect.stringMatching(/^IP 192\.168\.202\.11\.\d+ > 192\.168\.202\.12\.80: Flags \[\.\], ack 1, win \d+, .*length 0$/),
    ]);
    const u = (await udp).stdout;
    expect(u).toMatch(/^status 0\n--- stderr\n/);
    expect(u).toContain('0 packets captured\n');
  });

  it('-i any names the link and the direction, and shows a loopback packet once', async () => {
    const c = await capture('ip netns exec fox tcpdump -c 4 -n -i any icmp', 'ip netns exec fox ping -c1 127.0.0.1; ip netns exec fox ping -c1 192.168.202.12');
    expect(c.status).toBe(0);
    expect(c.lines).toEqual([
      expect.stringMatching(/^lo {4}In {2}IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo request, id \d+, seq 1, length 64$/),
      expect.stringMatching(/^lo {4}In {2}IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo reply, /),
      expect.stringMatching(/^veth-fox Out IP 192\.168\.202\.11 > 192\.168\.202\.12: ICMP echo request, /),
      expect.stringMatching(/^veth-fox In {2}IP 192\.168\.202\.12 > 192\.168\.202\.11: ICMP echo reply, /),
    ]);
    expect(c.stderr).toContain('listening on any, link-type LINUX_SLL2 (Linux cooked v2)');
  });

  it('filters by host, net and direction, with not and parentheses', async () => {
    const c = await capture(
      "ip netns exec fox tcpdump -c 1 -n -i veth-fox '(src host 192.168.202.12 or dst net 10.0.0.0/8) and not arp && !ip6'",
      'ip netns exec fox ping -c1 192.168.202.12',
    );
    expect(c.lines).toEqual([expect.stringMatching(/^IP 192\.168\.202\.12 > 192\.168\.202\.11: ICMP echo reply, /)]);
  });

  it('SIGINT ends it with the count, exit status 0', async () => {
    const c = await capture('ip netns exec fox tcpdump -n -i veth-fox icmp', 'ip netns exec fox ping -c2 -i 0.2 192.168.202.12', 4);
    expect(c.status).toBe(0);
    expect(c.lines).toHaveLength(4);
    expect(c.stderr).toMatch(/\n4 packets captured\n4 packets received by filter\n0 packets dropped by kernel\n$/);
  });
});

describe('what the watcher refuses, in one clear sentence and exit status 1', () => {
  it('an option it does not know, and capture files', async () => {
    const x = await sb.run('tcpdump -X -i lo');
    expect(x.exitCode).toBe(1);
    expect(x.stderr).toMatch(/^tcpdump in this sandbox is netns-tutor's packet watcher, which does not support -X: it supports -i IFACE\|any, -c N, .*; real tcpdump runs when netns-tutor runs as root on a machine where user namespaces are turned off, or outside the tutor on your own machine's links\.\n$/);
    const w = await sb.run('tcpdump -n -w /run/tutor/tmp/x.pcap');
    expect(w.exitCode).toBe(1);
    expect(w.stderr).toMatch(/cannot write or read capture files \(-w\): that needs real tcpdump, and real tcpdump runs when netns-tutor runs as root/);
  });

  it('a filter word it does not understand, and a filter that ends too soon', async () => {
    const r = await sb.run("tcpdump -n -i lo 'tcp port 80 and frob'");
    expect(r).toMatchObject({ exitCode: 1, stdout: '' });
    expect(r.stderr).toBe(
      'netns-tutor\'s packet watcher does not understand "frob"; it knows: icmp, icmp6, arp, tcp, udp, ip, ip6, port N, src|dst port N, host ADDR, src|dst host ADDR, net CIDR, src|dst net CIDR, joined with and/&&, or/||, not/! and parentheses.\n',
    );
    expect((await sb.run('tcpdump -i lo tcp and')).stderr).toMatch(/^netns-tutor's packet watcher does not understand "tcp and" \(it ends too soon\); it knows: /);
  });

  it('a link that does not exist', async () => {
    expect(await sb.run('tcpdump -i nosuch0')).toMatchObject({ exitCode: 1, stderr: 'tcpdump: nosuch0: No such device exists (ip -br link lists the links here)\n' });
  });

  it('--version and -h stay useful and say it is the stand-in', async () => {
    const v = await sb.run('tcpdump --version');
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toMatch(/^tcpdump version /m);
    expect(v.stdout).toContain('netns-tutor packet watcher');
    const h = await sb.run('tcpdump -h');
    expect(h.exitCode).toBe(0);
    expect(h.stdout).toMatch(/^tcpdump in this sandbox is netns-tutor's packet watcher/);
  });
});

// last in this file (it mounts over the watcher): the checkout may be writable by root of the
// user namespace, and python3 writes __pycache__ beside imported modules unless told not to. The
// wrapper's -B is what stops it, so here the watcher's directory is a writable copy and the
// environment does not forbid bytecode either
it('leaves no __pycache__ beside the watcher\'s modules', async () => {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const r = await sb.run(
    `cp -r ${q(packetWatchPath)} /run/tutor/tmp/pw && mount --bind /run/tutor/tmp/pw ${q(packetWatchPath)} && ` +
      'env -u PYTHONDONTWRITEBYTECODE -u PYTHONPYCACHEPREFIX tcpdump -h >/dev/null; s=$?; ' +
      `umount ${q(packetWatchPath)}; ls -A /run/tutor/tmp/pw; exit $s`,
  );
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stdout.split('\n')).toContain('__main__.py');
  expect(r.stdout).not.toContain('__pycache__');
  expect(existsSync(join(packetWatchPath, '__pycache__'))).toBe(false);
});
