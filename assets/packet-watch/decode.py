"""Frames from the packet socket, decoded into Packets as far as the filter and the printer need."""

import ipaddress
import socket
import struct

from wire import ARPHRD_ETHER, ARPHRD_LOOPBACK, DIRECTIONS, ETHERTYPE_ARP, ETHERTYPE_IP, ETHERTYPE_IPV6


class Packet:
    """One frame, decoded as far as the filter and the printer need."""

    def __init__(self, link, direction, ifindex, frame_len, ethertype):
        self.link, self.direction, self.ifindex = link, direction, ifindex
        self.frame_len, self.ethertype = frame_len, ethertype
        self.src_mac = self.dst_mac = ""
        self.version = 0  # 4 or 6 for IP
        self.src = self.dst = None  # ipaddress objects
        self.proto = None
        self.hop_by_hop = False
        self.first_fragment = True
        self.l4 = b""  # the transport header and payload, cut to the IP length
        self.sport = self.dport = None
        self.arp = None  # (op, sha, spa, tha, tpa)
        self.truncated = False


def format_mac(raw):
    return ":".join(f"{b:02x}" for b in raw)


def decode_ipv4(p, data):
    ihl = (data[0] & 0x0F) * 4
    total, frag = struct.unpack("!H2xH", data[2:8])
    p.version, p.proto = 4, data[9]
    p.src, p.dst = ipaddress.IPv4Address(data[12:16]), ipaddress.IPv4Address(data[16:20])
    p.first_fragment = (frag & 0x1FFF) == 0
    p.l4 = data[ihl:max(total, ihl)]


def decode_ipv6(p, data):
    payload_len, next_header = struct.unpack("!HB", data[4:7])
    p.version = 6
    p.src, p.dst = ipaddress.IPv6Address(data[8:24]), ipaddress.IPv6Address(data[24:40])
    rest = data[40:40 + payload_len]
    if next_header == 0 and len(rest) >= 8:  # hop-by-hop options (MLD reports carry one)
        p.hop_by_hop = True
        next_header, size = rest[0], (rest[1] + 1) * 8
        rest = rest[size:]
    p.proto, p.l4 = next_header, rest


def decode_ports(p):
    if p.proto in (6, 17) and p.first_fragment and len(p.l4) >= 4:
        p.sport, p.dport = struct.unpack("!HH", p.l4[:4])


def decode_arp(p, data):
    op = struct.unpack("!H", data[6:8])[0]
    p.arp = (op, format_mac(data[8:14]), ipaddress.IPv4Address(data[14:18]),
             format_mac(data[18:24]), ipaddress.IPv4Address(data[24:28]))
    p.l4 = data


def decode_network(p, data):
    try:
        if p.ethertype == ETHERTYPE_IP:
            decode_ipv4(p, data)
        elif p.ethertype == ETHERTYPE_IPV6:
            decode_ipv6(p, data)
        elif p.ethertype == ETHERTYPE_ARP:
            decode_arp(p, data)
        else:
            p.l4 = data
        decode_ports(p)
    except (struct.error, ValueError, IndexError):
        p.truncated = True


def decode_frame(frame, address):
    """`address` is what recvfrom gives on an AF_PACKET socket."""
    link, proto, pkttype, hatype, _ = address
    ethernet = hatype in (ARPHRD_ETHER, ARPHRD_LOOPBACK) and len(frame) >= 14
    ethertype = struct.unpack("!H", frame[12:14])[0] if ethernet else proto
    p = Packet(link, DIRECTIONS.get(pkttype, "?"), if_index(link), len(frame), ethertype)
    if ethernet:
        p.dst_mac, p.src_mac = format_mac(frame[0:6]), format_mac(frame[6:12])
        frame = frame[14:]
    decode_network(p, frame)
    return p


_indexes = {}


def if_index(name):
    if name not in _indexes:
        try:
            _indexes[name] = socket.if_nametoindex(name)
        except OSError:
            _indexes[name] = 0
    return _indexes[name]
