// Names every veth's peer as {namespace, name}. Pure.
//
// Method: a veth reports its peer as (link_netnsid, link_index), where the netnsid is a number
// private to the namespace reporting it, and ifindexes repeat across namespaces.
// 1) `ip netns list-id` in each namespace names the ids of the namespaces under /run/netns.
// 2) Pairing is symmetric: once (X, a) is known to pair with (Y, b), b's netnsid in Y means X.
// 3) Ids still unnamed (the host seen from fox, the upstream side seen from the host) are found
//    by mutual matching: a veth in another namespace whose ifindex is our link_index and whose
//    link_index is our ifindex, not already paired, and not in a namespace that this one already
//    knows under another id. Only a unique match counts. Repeat 2-3 until nothing changes.
// 4) No netnsid: the peer is in the same namespace. A peer that stays unknown keeps its ifindex.
import type { Link } from './snapshot.js';
import type { ParsedLink } from './parse-ip.js';

export interface PeerInput {
  name: string;
  links: ParsedLink[];
  nsidNames: Record<number, string>;
}

type Ref = { ns: number; link: number };

export function resolvePeers(namespaces: PeerInput[]): Link[][] {
  const index = new Map(namespaces.map((n, i) => [n.name, i]));
  const idMaps = namespaces.map((ns) => {
    const m = new Map<number, number>();
    for (const [id, name] of Object.entries(ns.nsidNames)) {
      const i = index.get(name);
      if (i !== undefined) m.set(Number(id), i);
    }
    return m;
  });
  const pairs = new Map<string, Ref>();
  const key = (r: Ref) => `${r.ns}/${r.link}`;
  const linkAt = (r: Ref) => namespaces[r.ns]!.links[r.link]!;
  const pair = (a: Ref, b: Ref) => {
    pairs.set(key(a), b);
    pairs.set(key(b), a);
    const bNsid = linkAt(b).peerNetnsid;
    if (bNsid !== undefined && !idMaps[b.ns]!.has(bNsid)) idMaps[b.ns]!.set(bNsid, a.ns);
  };
  const veths: Ref[] = [];
  namespaces.forEach((ns, i) => ns.links.forEach((l, j) => l.peer && l.peerNetnsid !== undefined && veths.push({ ns: i, link: j })));

  const mutualCandidates = (a: Ref): Ref[] => {
    const la = linkAt(a);
    const knownElsewhere = new Set(idMaps[a.ns]!.values());
    return veths.filter((b) => {
      if (b.ns === a.ns || pairs.has(key(b)) || knownElsewhere.has(b.ns)) return false;
      const lb = linkAt(b);
      if (lb.ifindex !== la.peer!.ifindex || lb.peer!.ifindex !== la.ifindex) return false;
      const bSees = idMaps[b.ns]!.get(lb.peerNetnsid!);
      return bSees === undefined || bSees === a.ns;
    });
  };

  for (let changed = true; changed; ) {
    changed = false;
    for (const a of veths) {
      if (pairs.has(key(a))) continue;
      const la = linkAt(a);
      const target = idMaps[a.ns]!.get(la.peerNetnsid!);
      if (target !== undefined) {
        const j = namespaces[target]!.links.findIndex((l) => l.ifindex === la.peer!.ifindex);
        if (j >= 0 && !pairs.has(key({ ns: target, link: j }))) {
          pair(a, { ns: target, link: j });
          changed = true;
        }
        continue;
      }
      // unique both ways: b must be a's only match, and a b's only match
      const candidates = mutualCandidates(a);
      if (candidates.length === 1 && mutualCandidates(candidates[0]!).length !== 1) continue;
      if (candidates.length === 1) {
        idMaps[a.ns]!.set(la.peerNetnsid!, candidates[0]!.ns);
        changed = true;
      }
    }
  }

  return namespaces.map((ns, i) =>
    ns.links.map((parsed, j) => {
      const { peerNetnsid, ...link } = parsed;
      if (!link.peer) return link;
      let other: Ref | undefined = pairs.get(key({ ns: i, link: j }));
      if (peerNetnsid === undefined) {
        const k = ns.links.findIndex((l) => l.ifindex === link.peer!.ifindex);
        other = k >= 0 ? { ns: i, link: k } : undefined;
      }
      const where = other ? other.ns : peerNetnsid === undefined ? i : idMaps[i]!.get(peerNetnsid);
      return {
        ...link,
        peer: {
          ...(where !== undefined ? { namespace: namespaces[where]!.name } : {}),
          ...(other ? { name: linkAt(other).name } : {}),
          ifindex: link.peer.ifindex,
        },
      };
    }),
  );
}
