// Faults the walk once reached but named wrong (pure, over the recorded bridge lab): an SNAT to an
// address the router does not have, one address in two namespaces, the next hop's cable in another
// bridge or in none (never "give the bridge someone else's address"), and a DNAT to a namespace
// where nothing listens while a later rule or another server would do. The real-sandbox cases in
// diagnose-cases.ts run each fix against the kernel.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NamespaceState, NftRule, Snapshot } from '../src/domain/snapshot/snapshot.js';
import { walkPath } from '../src/domain/diagnose/walk.js';
import { parseRule } from '../src/domain/snapshot/parse-rule.js';

const bridge: Snapshot = JSON.parse(readFileSync(new URL('./fixtures/snapshots/bridge-lab.json', import.meta.url), 'utf8'));
const ns = (s: Snapshot, name: string) => s.namespaces.find((n) => n.name === name)!;
const broken = (change: (s: Snapshot) => void): Snapshot => {
  const c = structuredClone(bridge);
  change(c);
  return c;
};
/** An iptables nat rule as iptables-save prints it, first in its chain (`first`) or last. */
function natRule(n: NamespaceState, text: string, first = true): void {
  const words = text.split(' ');
  const rule = { table: 'nat', chain: words[1]!, args: words.slice(2), text, ...parseRule(words.slice(2), new Set(Object.keys(n.iptables!.tables.nat!.chains))) };
  const rules = n.iptables!.tables.nat!.rules;
  if (first) rules.unshift(rule);
  else rules.push(rule);
}
const dropNat = (n: NamespaceState, chain: string) => (n.iptables!.tables.nat!.rules = n.iptables!.tables.nat!.rules.filter((r) => r.chain !== chain));
const addAddress = (n: NamespaceState, dev: string, address: string) => n.addresses.push({ dev, family: 'inet', address, prefixlen: 24, scope: 'global' });
const unanswered = (n: NamespaceState, address: string) => Object.assign(n.neighbours.find((x) => x.address === address)!, { state: ['INCOMPLETE'], lladdr: undefined });
const fox = (s: Snapshot) => walkPath(s, 'fox', { address: '198.51.100.10' });
const web = (s: Snapshot) => walkPath(s, 'internet', { address: '203.0.113.2', port: 80 });

describe('an SNAT to an address the router does not have', () => {
  const SNAT = '-A POSTROUTING -s 192.168.202.0/24 -o eth0 -j SNAT --to-source';

  it('nobody on the uplink has it, and the MASQUERADE after it would do: delete it', () => {
    const r = fox(broken((s) => natRule(ns(s, 'host'), `${SNAT} 203.0.113.99`)));
    expect(r.fault).toMatchObject({ kind: 'snat-to-nowhere', namespace: 'host', fix: ['iptables -t nat -D POSTROUTING -s 192.168.202.0/24 -o eth0 -j SNAT --to-source 203.0.113.99'] });
    expect(r.fault!.what).toBe(
      "host translates the source 192.168.202.11 to 203.0.113.99 (SNAT), an address it does not have (host's own address on eth0 is 203.0.113.2): nobody on the link behind host's eth0 has 203.0.113.99, so the answers never come back to host.",
    );
    expect(r.fault!.evidence.map((e) => e.line).slice(0, 2)).toEqual([`${SNAT} 203.0.113.99`, expect.stringMatching(/^eth0 UP 203\.0\.113\.2\/24/)]);
    expect(r.notes).toContain('Without it, the later rule `-A POSTROUTING -s 192.168.202.0/24 ! -o vnet-animals -j MASQUERADE` translates the source to 203.0.113.2, host\'s own address.');
  });

  it('no later rule: the same rule at its place, with the address the router has there; MASQUERADE as the alternative', () => {
    const r = fox(broken((s) => {
      dropNat(ns(s, 'host'), 'POSTROUTING');
      natRule(ns(s, 'host'), `${SNAT} 203.0.113.99`);
    }));
    expect(r.fault?.fix).toEqual([
      'iptables -t nat -D POSTROUTING -s 192.168.202.0/24 -o eth0 -j SNAT --to-source 203.0.113.99',
      'iptables -t nat -I POSTROUTING 1 -s 192.168.202.0/24 -o eth0 -j SNAT --to-source 203.0.113.2',
    ]);
    expect(r.notes.join(' ')).toContain('iptables -t nat -I POSTROUTING 1 -s 192.168.202.0/24 -o eth0 -j MASQUERADE');
  });

  it('an address the internet has itself: it drops the packet as a martian (or, with accept_local, keeps the answers)', () => {
    const r = fox(broken((s) => natRule(ns(s, 'host'), `${SNAT} 203.0.113.1`)));
    expect(r.fault).toMatchObject({ kind: 'snat-to-nowhere', namespace: 'host' });
    expect(r.fault!.what).toContain("203.0.113.1 is internet's own address, so internet drops what arrives from it (a martian source)");
    const accepting = fox(broken((s) => {
      natRule(ns(s, 'host'), `${SNAT} 203.0.113.1`);
      ns(s, 'internet').sysctls['net.ipv4.conf.all.accept_local'] = '1';
    }));
    expect(accepting.fault!.what).toContain("203.0.113.1 is internet's own address, so internet keeps the answers");
  });

  it('a private address the internet has no route to: the SNAT is named, not a missing MASQUERADE', () => {
    const r = fox(broken((s) => natRule(ns(s, 'host'), `${SNAT} 10.99.99.99`)));
    expect(r.fault).toMatchObject({ kind: 'snat-to-nowhere', namespace: 'host' });
    expect(r.fault!.what).toContain('internet has no route to 10.99.99.99');
  });

  it("to the router's own address it is no fault", () => {
    expect(fox(broken((s) => natRule(ns(s, 'host'), `${SNAT} 203.0.113.2`))).passed).toBe(true);
  });

  it('a native nft snat is replaced in place, by its handle', () => {
    const r = fox(broken((s) => {
      const host = ns(s, 'host');
      dropNat(host, 'POSTROUTING');
      host.nftables = {
        chains: [{ family: 'ip', table: 'lab-nat', name: 'post', type: 'nat', hook: 'postrouting', priority: 100, policy: 'accept' }],
        rules: [{ family: 'ip', table: 'lab-nat', chain: 'post', handle: 3, matches: [{ key: 'oifname', op: '==', values: ['eth0'] }], action: 'snat', to: { address: '203.0.113.99' }, text: 'oifname "eth0" snat to 203.0.113.99' }],
      };
    }));
    expect(r.fault).toMatchObject({ kind: 'snat-to-nowhere', fix: [`nft replace rule ip lab-nat post handle 3 'oifname "eth0" snat to 203.0.113.2'`] });
  });
});

describe('one address in two namespaces', () => {
  it("an extra copy in the destination: it drops the sender's packets as martians; that copy goes, and the sender asks again", () => {
    const s = broken((x) => {
      addAddress(ns(x, 'fox'), 'veth-fox', '192.168.202.12');
      unanswered(ns(x, 'bear'), '192.168.202.11');
    });
    const r = walkPath(s, 'bear', { address: '192.168.202.11' });
    expect(r.fault).toMatchObject({ kind: 'duplicate-address', namespace: 'fox', fix: ['ip -n fox addr del 192.168.202.12/24 dev veth-fox', 'ip -n bear neigh flush 192.168.202.11 dev veth-bear'] });
    expect(r.fault!.what).toMatch(/^192\.168\.202\.12 is on bear's veth-bear and fox's veth-fox at once: fox drops what comes in on veth-fox from 192\.168\.202\.12, its own address \(a martian source\).*in fox it is an extra address beside 192\.168\.202\.11\.$/);
    expect(r.fault!.evidence.map((e) => e.command)).toEqual(['ip -n bear -br addr show veth-bear', 'ip -n fox -br addr show veth-fox']);
  });

  it('with accept_local the packet gets in, and the reply stays there: still the duplicate', () => {
    const s = broken((x) => {
      addAddress(ns(x, 'fox'), 'veth-fox', '192.168.202.12');
      ns(x, 'fox').sysctls['net.ipv4.conf.all.accept_local'] = '1';
    });
    const r = walkPath(s, 'bear', { address: '192.168.202.11' });
    expect(r.fault).toMatchObject({ kind: 'duplicate-address', namespace: 'fox', fix: ['ip -n fox addr del 192.168.202.12/24 dev veth-fox'] });
    expect(r.fault!.what).toContain('fox takes the replies to 192.168.202.12 for its own, so they never reach bear');
  });

  it("a copy of fox's address on the router's bridge: the router drops fox's packets", () => {
    const r = fox(broken((x) => addAddress(ns(x, 'host'), 'vnet-animals', '192.168.202.11')));
    expect(r.fault).toMatchObject({ kind: 'duplicate-address', namespace: 'host', fix: ['ip addr del 192.168.202.11/24 dev vnet-animals'] });
  });

  it('both answer ARP for it and it is the only address of each: one moves to a free address', () => {
    const s = broken((x) => (ns(x, 'fox').addresses.find((a) => a.address === '192.168.202.11')!.address = '192.168.202.12'));
    const r = walkPath(s, 'host', { address: '192.168.202.12' });
    expect(r.fault).toMatchObject({ kind: 'duplicate-address', fix: [expect.stringMatching(/addr del 192\.168\.202\.12\/24/), expect.stringMatching(/addr add 192\.168\.202\.254\/24/)] });
    expect(r.fault!.what).toContain("both answer host's ARP requests for it");
    expect(r.fault!.what).toContain('it is the only address of each');
  });
});

describe("the next hop's cable in another bridge, or in none", () => {
  const away = (master: string | undefined) =>
    broken((s) => {
      const host = ns(s, 'host');
      if (master) host.links.push({ ...host.links.find((l) => l.name === 'vnet-animals')!, name: master, ifindex: 99 });
      const port = host.links.find((l) => l.name === 'veth-bear-br')!;
      if (master) port.master = master;
      else delete port.master;
      unanswered(ns(s, 'fox'), '192.168.202.12');
    });

  it('a port of another bridge: moved back, and the sender asks again', () => {
    const r = walkPath(away('br-other'), 'fox', { address: '192.168.202.12' });
    expect(r.fault).toMatchObject({ kind: 'port-wrong-bridge', namespace: 'host', fix: ['ip link set veth-bear-br master vnet-animals', 'ip -n fox neigh flush 192.168.202.12 dev veth-fox'] });
    expect(r.fault!.what).toContain('is a port of br-other, not of vnet-animals');
    expect(r.fault!.evidence[0]!.line).toContain('master br-other');
  });

  it('a port of no bridge', () => {
    const r = walkPath(away(undefined), 'fox', { address: '192.168.202.12' });
    expect(r.fault).toMatchObject({ kind: 'port-detached', namespace: 'host', fix: ['ip link set veth-bear-br master vnet-animals', 'ip -n fox neigh flush 192.168.202.12 dev veth-fox'] });
  });

  it("an address that is someone's own is never given to the bridge", () => {
    const s = away(undefined);
    delete ns(s, 'bear').links.find((l) => l.name === 'veth-bear')!.peer;
    const r = walkPath(s, 'fox', { address: '192.168.202.12' });
    expect(r.fault?.kind).toBe('neighbour-missing');
    expect(r.fault!.fix.join('\n')).not.toContain('addr add');
    expect(r.fault!.fix).toEqual([expect.stringContaining("# connect bear's veth-bear to the link behind fox's veth-fox")]);
  });
});

describe("a gateway that is another namespace's own address, on another link", () => {
  const onlink = (change: (s: Snapshot) => void = () => {}) =>
    broken((s) => {
      Object.assign(ns(s, 'fox').routes.find((r) => r.dst === 'default')!, { gateway: '203.0.113.1' });
      change(s);
    });

  it('with a router on the link: the route is fixed; the address stays where it is', () => {
    const r = fox(onlink());
    expect(r.fault).toMatchObject({ kind: 'wrong-gateway', namespace: 'fox', fix: ['ip -n fox route replace default via 192.168.202.1'] });
    expect(r.fault!.what).toContain("(it is internet's eth0, on another link)");
    expect(r.notes.join(' ')).not.toContain('addr add');
  });

  it('without one: neither the address nor the uplink is taken for the fix', () => {
    const r = fox(onlink((s) => (ns(s, 'host').sysctls['net.ipv4.ip_forward'] = '0')));
    expect(r.fault?.kind).toBe('gateway-missing');
    expect(r.fault!.fix.join('\n')).not.toMatch(/addr (add|del)|master/);
  });
});

describe('a DNAT to a namespace where nothing listens', () => {
  const DNAT = '-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination';

  it('before the right rule: delete it, and say who listens and which rule DNATs there', () => {
    const r = web(broken((s) => natRule(ns(s, 'host'), `${DNAT} 192.168.202.12:80`)));
    expect(r.fault).toMatchObject({ kind: 'dnat-target-not-listening', namespace: 'host', fix: [`iptables -t nat -D PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.12:80`] });
    expect(r.fault!.what).toBe('The first DNAT rule that matches in host sends 203.0.113.2:80 to 192.168.202.12:80, in bear, where nothing listens on port 80.');
    expect(r.fault!.evidence).toEqual([
      { command: 'iptables -t nat -S PREROUTING', line: `${DNAT} 192.168.202.12:80` },
      { command: "ip netns exec bear ss -ltn 'sport = :80'", line: '(nothing listening)' },
    ]);
    expect(r.notes.join(' ')).toContain(`fox listens on 192.168.202.11:80, and a later rule in the same chain already DNATs there (\`${DNAT} 192.168.202.11:80\`)`);
  });

  it('the only rule, and one server elsewhere: point it there', () => {
    const r = web(broken((s) => {
      dropNat(ns(s, 'host'), 'PREROUTING');
      natRule(ns(s, 'host'), `${DNAT} 192.168.202.12:80`);
    }));
    expect(r.fault).toMatchObject({ kind: 'dnat-target-not-listening', fix: [`iptables -t nat -D PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.12:80`, `iptables -t nat ${DNAT} 192.168.202.11:80`] });
    expect(r.fault!.what).toContain('the server is in fox (192.168.202.11:80)');
  });

  it('no server anywhere: the server is what is missing, not the rule', () => {
    const r = web(broken((s) => {
      natRule(ns(s, 'host'), `${DNAT} 192.168.202.12:80`);
      ns(s, 'fox').listening = [];
    }));
    expect(r.fault).toMatchObject({ kind: 'not-listening', namespace: 'bear' });
  });

  it('an address nobody has, before the right rule: delete it too', () => {
    const r = web(broken((s) => natRule(ns(s, 'host'), `${DNAT} 192.168.202.13:80`)));
    expect(r.fault).toMatchObject({ kind: 'dnat-target-missing', fix: [`iptables -t nat -D PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.202.13:80`] });
  });

  it('native nft: the shadowing rule is deleted by its handle', () => {
    const dnat = (handle: number, address: string): NftRule => ({
      family: 'ip',
      table: 'lab-nat',
      chain: 'pre',
      handle,
      matches: [{ key: 'iifname', op: '==', values: ['eth0'] }, { key: 'tcp dport', op: '==', values: ['80'] }],
      action: 'dnat',
      to: { address, port: 80 },
      text: `iifname "eth0" tcp dport 80 dnat to ${address}:80`,
    });
    const r = web(broken((s) => {
      dropNat(ns(s, 'host'), 'PREROUTING');
      ns(s, 'host').nftables = { chains: [{ family: 'ip', table: 'lab-nat', name: 'pre', type: 'nat', hook: 'prerouting', priority: -100, policy: 'accept' }], rules: [dnat(4, '192.168.202.12'), dnat(5, '192.168.202.11')] };
    }));
    expect(r.fault).toMatchObject({ kind: 'dnat-target-not-listening', fix: ['nft delete rule ip lab-nat pre handle 4'] });
    expect(r.fault!.evidence[0]).toEqual({ command: 'nft -a list chain ip lab-nat pre', line: 'iifname "eth0" tcp dport 80 dnat to 192.168.202.12:80 # handle 4' });
  });
});
