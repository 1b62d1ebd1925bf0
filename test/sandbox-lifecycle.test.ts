// The sandbox for real: creation and idempotent dispose, the simulated internet and why NAT is
// needed behind it, a private /run/netns, a private /etc, placed files; the host unchanged.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { assertHostUnchanged, captureHostState, type HostState } from './helpers/host-state.js';
import { pidNamespaceOf, waitUntilEmpty } from './helpers/sandbox-procs.js';

let host: HostState;
beforeAll(() => {
  host = captureHostState();
});
afterAll(() => assertHostUnchanged(host, 'the sandbox lifecycle tests'));

describe('create and dispose', () => {
  it('gives a ready sandbox whose init is PID 1 of its own namespaces; dispose is idempotent and ends every process', async () => {
    const sb = await createSandbox();
    expect(sb.disposed).toBe(false);
    const pidns = pidNamespaceOf(sb.initPid)!;
    expect(pidns).not.toBe(pidNamespaceOf(process.pid));
    const r = await sb.run('echo $$; echo "$NETNS_TUTOR_SANDBOX"; ip -br link show lo; readlink /proc/1/exe');
    expect(r.exitCode).toBe(0);
    const [, id, lo] = r.stdout.split('\n');
    expect(id).toBe(sb.id);
    expect(lo).toMatch(/^lo\s+UNKNOWN/);
    await sb.run('sleep 1000 >/dev/null 2>&1 &');
    await sb.dispose();
    expect(sb.disposed).toBe(true);
    await sb.dispose();
    expect(await waitUntilEmpty(pidns)).toEqual([]);
  });
});

describe('the simulated internet', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox();
  });
  afterAll(() => sb.dispose());

  it('answers ping on 203.0.113.1 and 198.51.100.10 from the sandbox host', async () => {
    const r = await sb.run('ping -c1 -W2 203.0.113.1 && ping -c1 -W2 198.51.100.10 && ping -c1 -W2 192.0.2.10');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('serves HTTP naming the address asked and the source seen', async () => {
    const r = await sb.exec(['curl', '-sS', '--max-time', '5', 'http://198.51.100.10/']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('hello from the internet (198.51.100.10)\nyou came from 203.0.113.2\n');
  });

  it('is not listed by ip netns, and the uplink is eth0 203.0.113.2/24 with a default route', async () => {
    const r = await sb.run('ip netns list; echo ---; ip -br addr show eth0; ip route show default');
    const [netns, rest] = r.stdout.split('---\n');
    expect(netns).toBe('');
    expect(rest).toMatch(/^eth0@\S+\s+UP\s+203\.0\.113\.2\/24/);
    expect(rest).toContain('default via 203.0.113.1 dev eth0');
  });

  it('has no route back to private ranges: a namespace behind the host needs forwarding AND masquerading', async () => {
    const setup = await sb.run(
      [
        'set -e',
        'ip netns add fox',
        'ip link add veth-fox type veth peer name veth-fox-br',
        'ip link set veth-fox netns fox',
        'ip addr add 192.168.202.1/24 dev veth-fox-br',
        'ip link set veth-fox-br up',
        'ip -n fox addr add 192.168.202.11/24 dev veth-fox',
        'ip -n fox link set veth-fox up',
        'ip -n fox link set lo up',
        'ip -n fox route add default via 192.168.202.1',
        'sysctl -qw net.ipv4.ip_forward=1',
        'ip netns exec fox ping -c1 -W1 192.168.202.1 >/dev/null',
      ].join('\n'),
    );
    expect(setup.stderr).toBe('');
    expect(setup.exitCode).toBe(0);
    const without = await sb.run('ip netns exec fox ping -c1 -W1 198.51.100.10');
    expect(without.exitCode).toBe(1); // no reply: the internet has no route to 192.168.202.0/24
    const upstream = await sb.run('nsenter --net=/run/tutor/upstream ip route get 192.168.202.11');
    expect(upstream.exitCode).not.toBe(0);
    await sb.run('iptables -t nat -A POSTROUTING -s 192.168.202.0/24 -o eth0 -j MASQUERADE');
    const withNat = await sb.run('ip netns exec fox curl -sS --max-time 5 http://198.51.100.10/');
    expect(withNat.stdout).toBe('hello from the internet (198.51.100.10)\nyou came from 203.0.113.2\n');
  });
});

describe('private state', () => {
  it('keeps `ip netns add` inside: /run/netns of the host does not see it', async () => {
    const sb = await createSandbox({ internet: false });
    try {
      const r = await sb.run('ip netns add fox-private-check && ip netns list && ls /run/netns');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('fox-private-check');
      expect(existsSync('/run/netns/fox-private-check')).toBe(false);
    } finally {
      await sb.dispose();
    }
  });

  it('lets /etc/sysctl.conf be written inside while the host file stays as it was', async () => {
    const hostCopy = existsSync('/etc/sysctl.conf') ? readFileSync('/etc/sysctl.conf', 'utf8') : undefined;
    const sb = await createSandbox({ internet: false });
    try {
      const r = await sb.run("echo 'net.ipv4.ip_forward = 1 # netns-tutor test' >>/etc/sysctl.conf && tail -n1 /etc/sysctl.conf && sysctl -p /etc/sysctl.conf >/dev/null && cat /proc/sys/net/ipv4/ip_forward");
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('net.ipv4.ip_forward = 1 # netns-tutor test\n1\n');
    } finally {
      await sb.dispose();
    }
    const after = existsSync('/etc/sysctl.conf') ? readFileSync('/etc/sysctl.conf', 'utf8') : undefined;
    expect(after).toBe(hostCopy);
  });

  it('keeps the host\'s files read-only inside, except the temp dirs; /sys shows the sandbox\'s own links', async () => {
    const sb = await createSandbox({ internet: false });
    try {
      const r = await sb.run(
        [
          'for f in /usr/netns-tutor-test /var/tmp/netns-tutor-test /etc/../usr/netns-tutor-test; do touch "$f" 2>&1 | grep -o "Read-only file system"; done',
          'touch /root/x /etc/netns-tutor-test && echo private-ok',
          `t=$(mktemp) && rm "$t" && echo tmp-ok`,
          'ip link add br-test type bridge && ls /sys/class/net | tr "\\n" " "',
        ].join('\n'),
      );
      expect(r.stdout).toBe('Read-only file system\nRead-only file system\nRead-only file system\nprivate-ok\ntmp-ok\nbr-test lo ');
    } finally {
      await sb.dispose();
    }
    for (const f of ['/usr/netns-tutor-test', '/var/tmp/netns-tutor-test', '/etc/netns-tutor-test']) expect(existsSync(f)).toBe(false);
  });

  it('resolves its own name, and sends no DNS query anywhere (lookups fail at once, not after the host resolver times out)', async () => {
    const sb = await createSandbox({ internet: false });
    try {
      const r = await sb.run('getent hosts sandbox; grep -v "^#" /etc/resolv.conf');
      expect(r.stdout).toBe('127.0.1.1       sandbox\nnameserver 127.0.0.1\n');
    } finally {
      await sb.dispose();
    }
  });

  it('places files at paths inside (and only inside)', async () => {
    const files = {
      '/etc/kubernetes/manifests/kube-apiserver.yaml': '    - --service-cluster-ip-range=10.96.0.0/12\n',
      '/root/notes.txt': 'hello\n',
    };
    const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '(absent)');
    const before = Object.keys(files).map(read);
    const sb = await createSandbox({ internet: false, files });
    try {
      const r = await sb.run('cat /etc/kubernetes/manifests/kube-apiserver.yaml /root/notes.txt; echo x >>/etc/kubernetes/manifests/kube-apiserver.yaml');
      expect(r.stdout).toBe(files['/etc/kubernetes/manifests/kube-apiserver.yaml'] + files['/root/notes.txt']);
      expect(r.exitCode).toBe(0);
    } finally {
      await sb.dispose();
    }
    expect(Object.keys(files).map(read)).toEqual(before);
  });

  it('refuses files outside /etc and /root, or with .. in the path', async () => {
    await expect(createSandbox({ files: { '/usr/bin/x': '' } })).rejects.toThrow(/under \/etc or \/root/);
    await expect(createSandbox({ files: { '/etc/../usr/x': '' } })).rejects.toThrow(/under \/etc or \/root/);
  });
});
