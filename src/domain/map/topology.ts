// The topology graph the map draws (and `map --json` prints): namespaces as boxes, their
// interfaces, bridges with ports, routes, NAT, and the veth wires between them. Pure data.
import type { LinkState } from '../snapshot/link-state.js';

/** 'up' (admin up with carrier), 'down' (admin down), 'no-carrier' (up, but the other end or the
 *  bridge is not). lo and dummies count as up when admin up. */
export type IfaceState = LinkState;

export interface MapInterface {
  name: string;
  type: string;
  state: IfaceState;
  /** CIDRs, IPv4 first; link-local IPv6 left out. */
  addresses: string[];
  /** For a veth: the other end. */
  peer?: { namespace?: string; name?: string };
  /** The wire this interface ends, when it is one end of a veth pair. */
  wire?: string;
}

export interface MapBridge extends MapInterface {
  ports: Array<MapInterface & { portState?: string }>;
}

export interface MapRoute {
  dst: string;
  via?: string;
  dev?: string;
  type: string;
  /** The text shown: 'default via 203.0.113.1 dev eth0'. */
  text: string;
}

export interface MapBox {
  namespace: string;
  kind: 'host' | 'named' | 'upstream';
  /** Interfaces that are not bridges nor bridge ports. */
  interfaces: MapInterface[];
  bridges: MapBridge[];
  /** Routes other than the kernel's connected ones (those follow from the addresses). */
  routes: MapRoute[];
  forwarding: boolean;
  /** NAT rules, shortly: 'MASQUERADE -s 192.168.202.0/24 ! -o vnet-animals'. */
  nat: string[];
  /** Why the namespace could not be read, when it could not. */
  error?: string;
}

export interface MapWire {
  /** 'host/veth-fox-br~fox/veth-fox' (ends in a stable order). */
  id: string;
  a: { namespace: string; name: string };
  /** The far end; namespace absent when it is outside what could be observed. */
  b: { namespace?: string; name?: string };
  state: IfaceState;
}

export interface Topology {
  world: 'sandbox' | 'host';
  boxes: MapBox[];
  wires: MapWire[];
}
