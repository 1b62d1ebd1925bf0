"""A Packet as one line, as tcpdump prints it (always numeric)."""

import datetime
import ipaddress
import re
import struct

from wire import ETHERTYPE_NAMES


def describe_icmp_unreachable(code, inner):
    if len(inner) < 20:
        return f"ICMP unreachable - code {code}"
    ihl, proto = (inner[0] & 0x0F) * 4, inner[9]
    dst = ipaddress.IPv4Address(inner[16:20])
    port = struct.unpack("!H", inner[ihl + 2:ihl + 4])[0] if len(inner) >= ihl + 4 else 0
    messages = {
        0: f"net {dst} unreachable",
        1: f"host {dst} unreachable",
        2: f"{dst} protocol {proto} unreachable",
        3: f"{dst} {({6: 'tcp', 17: 'udp'}).get(proto, f'ip-proto-{proto}')} port {port} unreachable",
        4: f"{dst} unreachable - need to frag",
        9: f"net {dst} unreachable - admin prohibited",
        10: f"host {dst} unreachable - admin prohibited",
        13: f"host {dst} unreachable - admin prohibited filter",
    }
    return "ICMP " + messages.get(code, f"{dst} unreachable - code {code}")


def describe_icmp(p):
    data, length = p.l4, len(p.l4)
    kind, code = data[0], data[1]
    if kind in (0, 8):
        ident, seq = struct.unpack("!HH", data[4:8])
        text = f"ICMP echo {'request' if kind == 8 else 'reply'}, id {ident}, seq {seq}"
    elif kind == 3:
        text = describe_icmp_unreachable(code, data[8:])
    elif kind == 11:
        text = "ICMP time exceeded in-transit" if code == 0 else "ICMP ip reassembly time exceeded"
    elif kind == 5:
        gateway = ipaddress.IPv4Address(data[4:8])
        dst = ipaddress.IPv4Address(data[24:28]) if len(data) >= 28 else "?"
        text = f"ICMP redirect {dst} to {'net' if code == 0 else 'host'} {gateway}"
    else:
        text = f"ICMP type-#{kind}"
    return f"{text}, length {length}"


ICMP6_NAMES = {128: "echo request", 129: "echo reply", 133: "router solicitation",
               134: "router advertisement", 135: "neighbor solicitation", 136: "neighbor advertisement",
               143: "multicast listener report v2"}


def describe_icmp6(p):
    data = p.l4
    kind = data[0]
    text = ICMP6_NAMES.get(kind, f"type {kind}")
    if kind in (128, 129):
        ident, seq = struct.unpack("!HH", data[4:8])
        text += f", id {ident}, seq {seq}"
    elif kind == 135:
        text += f", who has {ipaddress.IPv6Address(data[8:24])}"
    elif kind == 136:
        text += f", tgt is {ipaddress.IPv6Address(data[8:24])}"
    elif kind == 143:
        text += f", {struct.unpack('!H', data[6:8])[0]} group record(s)"
    return f"ICMP6, {text}, length {len(data)}"


TCP_FLAGS = ((0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, "."), (0x20, "U"), (0x40, "E"), (0x80, "W"))


def describe_tcp_options(raw):
    out, i = [], 0
    while i < len(raw):
        kind = raw[i]
        if kind in (0, 1):
            out.append("eol" if kind == 0 else "nop")
            i += 1
            if kind == 0:
                break
            continue
        size = raw[i + 1] if i + 1 < len(raw) else 0
        if size < 2:
            break
        body = raw[i + 2:i + size]
        if kind == 2 and len(body) == 2:
            out.append(f"mss {struct.unpack('!H', body)[0]}")
        elif kind == 3 and len(body) == 1:
            out.append(f"wscale {body[0]}")
        elif kind == 4:
            out.append("sackOK")
        elif kind == 5:
            out.append(f"sack {len(body) // 8}")
        elif kind == 8 and len(body) == 8:
            val, ecr = struct.unpack("!II", body)
            out.append(f"TS val {val} ecr {ecr}")
        else:
            out.append(f"unknown-{kind}")
        i += size
    return ",".join(out)


class TcpSequences:
    """tcpdump's relative sequence numbers: a conversation's first packet with ACK (or any SYN)
    records both sides' initial numbers and prints absolute ones; later packets print offsets."""

    def __init__(self):
        self.bases = {}

    def relative(self, p, seq, ack, flags):
        if not flags & 0x10:
            return seq, ack
        here, there = (p.src, p.sport, p.dst, p.dport), (p.dst, p.dport, p.src, p.sport)
        if flags & 0x02 or here not in self.bases:
            if len(self.bases) > 10000:
                self.bases.clear()
            self.bases[here], self.bases[there] = seq, (ack - 1) % 2**32
            return seq, ack
        return (seq - self.bases[here]) % 2**32, (ack - self.bases[there]) % 2**32


def describe_http(payload):
    line = payload.split(b"\r\n", 1)[0].decode("latin-1")
    if re.match(r"^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) \S+ HTTP/|^HTTP/\d", line):
        return f": HTTP: {line}"
    return ": HTTP"


def describe_tcp(p, opts, sequences):
    data = p.l4
    seq, ack, offset, flags, window, urgent = struct.unpack("!IIBBH2xH", data[4:20])
    header = (offset >> 4) * 4
    payload = data[header:]
    ends = f"{p.src}.{p.sport} > {p.dst}.{p.dport}: "
    if opts.quick:
        return f"{ends}tcp {len(payload)}"
    seq, ack = sequences.relative(p, seq, ack, flags)
    names = "".join(name for bit, name in TCP_FLAGS if flags & bit) or "none"
    parts = [f"Flags [{names}]"]
    if payload:
        parts.append(f"seq {seq}:{(seq + len(payload)) % 2**32}")
    elif flags & 0x07:
        parts.append(f"seq {seq}")
    if flags & 0x10:
        parts.append(f"ack {ack}")
    parts.append(f"win {window}")
    if flags & 0x20:
        parts.append(f"urg {urgent}")
    options = describe_tcp_options(data[20:header])
    if options:
        parts.append(f"options [{options}]")
    parts.append(f"length {len(payload)}")
    http = describe_http(payload) if payload and {80, 8080} & {p.sport, p.dport} else ""
    return ends + ", ".join(parts) + http


def describe_transport(p, opts, sequences):
    if p.proto == 6 and p.sport is not None and len(p.l4) >= 20:
        return describe_tcp(p, opts, sequences)
    if p.proto == 17 and p.sport is not None and len(p.l4) >= 8:
        length = struct.unpack("!H", p.l4[4:6])[0] - 8
        return f"{p.src}.{p.sport} > {p.dst}.{p.dport}: UDP, length {length}"
    if p.proto == 1 and p.version == 4 and p.first_fragment and len(p.l4) >= 8:
        return f"{p.src} > {p.dst}: {describe_icmp(p)}"
    if p.proto == 58 and p.version == 6 and len(p.l4) >= 8:
        return f"{p.src} > {p.dst}: {'HBH ' if p.hop_by_hop else ''}{describe_icmp6(p)}"
    return f"{p.src} > {p.dst}: ip-proto-{p.proto} {len(p.l4)}"


def describe_arp(p):
    op, sha, spa, tha, tpa = p.arp
    length = len(p.l4)
    if op == 1:
        asked = f" ({tha})" if tha != "00:00:00:00:00:00" else ""
        return f"Request who-has {tpa}{asked} tell {spa}, length {length}"
    if op == 2:
        return f"Reply {spa} is-at {sha}, length {length}"
    return f"Unknown ({op}), length {length}"


def describe_link_level(p, opts):
    """-e: the MAC addresses and the ethertype, as tcpdump prints them before the packet."""
    name = ETHERTYPE_NAMES.get(p.ethertype, "Unknown")
    kind = name if opts.quick else f"ethertype {name} (0x{p.ethertype:04x})"
    if opts.iface == "any":  # Linux cooked v2: one address, the sender's; its header is 6 bytes longer
        return f"ifindex {p.ifindex} {p.src_mac or '00:00:00:00:00:00'} {kind}, length {p.frame_len + 6}: "
    return f"{p.src_mac} > {p.dst_mac}, {kind}, length {p.frame_len}: "


def describe_packet(p, opts, sequences):
    if p.truncated:
        return f"{ETHERTYPE_NAMES.get(p.ethertype, hex(p.ethertype))} truncated, length {p.frame_len}"
    if p.arp:
        body, tag = describe_arp(p), "ARP, "
    elif p.version:
        body, tag = describe_transport(p, opts, sequences), "IP " if p.version == 4 else "IP6 "
    else:
        return f"{p.src_mac} > {p.dst_mac}, ethertype 0x{p.ethertype:04x}, length {p.frame_len}"
    with_macs = opts.link_level and (p.src_mac or opts.iface == "any")
    return (describe_link_level(p, opts) if with_macs else tag) + body


def format_line(p, opts, sequences, when):
    stamp = datetime.datetime.fromtimestamp(when).strftime("%H:%M:%S.%f")
    where = f"{p.link:<5} {p.direction:<3} " if opts.iface == "any" else ""
    return f"{stamp} {where}{describe_packet(p, opts, sequences)}"
