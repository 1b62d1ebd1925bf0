// Whether a link is up, said once for checks, the diagnoser and the map: administratively up (the
// UP flag, `ip link set X up`), and with a carrier (LOWER_UP: a veth whose peer is up, a bridge
// with a port up). operstate is the kernel's summary of both but lags LOWER_UP by up to a second
// (linkwatch), so LOWER_UP decides when it is known; loopback and dummies say UNKNOWN. Pure.
import type { Link } from './snapshot.js';

export type LinkState = 'down' | 'no-carrier' | 'up';

export function hasCarrier(link: Link): boolean {
  return link.adminUp && (link.lowerUp || link.operState === 'UP' || link.operState === 'UNKNOWN');
}

export function linkState(link: Link): LinkState {
  return !link.adminUp ? 'down' : hasCarrier(link) ? 'up' : 'no-carrier';
}
