#!/usr/bin/env python3
"""netns-tutor's packet watcher: stands in for tcpdump inside the rootless sandbox.

Real tcpdump opens its capture, then insists on switching to its own user; the sandbox's user
namespace denies setgroups(), so it exits before printing a packet. An AF_PACKET socket needs
only CAP_NET_RAW in the sandbox's own network namespaces, which root inside has. This reads
frames from one, keeps those a small subset of pcap-filter accepts, and prints them as tcpdump
does (always numeric). Stdlib only; run by the sandbox's tcpdump wrapper.
"""

import datetime
import fcntl
import ipaddress
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_ADD_MEMBERSHIP = 1
PACKET_MR_PROMISC = 1
PACKET_STATISTICS = 6
PACKET_OUTGOING = 4
SIOCGIFFLAGS = 0x8913
SIOCGIFHWADDR = 0x8927
IFF_UP, IFF_LOOPBACK, IFF_RUNNING = 0x1, 0x8, 0x40
ARPHRD_ETHER, ARPHRD_LOOPBACK = 1, 772
ETHERTYPE_IP, ETHERTYPE_ARP, ETHERTYPE_IPV6 = 0x0800, 0x0806, 0x86DD
ETHERTYPE_NAMES = {ETHERTYPE_IP: "IPv4", ETHERTYPE_ARP: "ARP", ETHERTYPE_IPV6: "IPv6", 0x8100: "802.1Q"}
DIRECTIONS = {0: "In", 1: "B", 2: "M", 3: "P", 4: "Out"}
SNAPLEN = 262144

PROG = "tcpdump"
STAND_IN = ("netns-tutor: this is netns-tutor's packet watcher standing in for tcpdump, which cannot "
            "switch to its own user inside the sandbox's user namespace (tcpdump -h: what it supports)")
SUPPORTED = "-i IFACE|any, -c N, -n, -nn, -e, -l, -p, -q, -v, -vv, -s N, -U, -D, -h, --version and a filter expression"
REAL_TCPDUMP = ("real tcpdump runs when netns-tutor runs as root on a machine where user namespaces are "
                "turned off, or outside the tutor on your own machine's links")
KNOWN_FILTERS = ("icmp, icmp6, arp, tcp, udp, ip, ip6, port N, src|dst port N, host ADDR, src|dst host ADDR, "
                 "net CIDR, src|dst net CIDR, joined with and/&&, or/||, not/! and parentheses")


class UsageError(Exception):
    """Bad command line: the message is one sentence for the learner."""


# ---------------------------------------------------------------------------------------------
# Options


class Options:
    def __init__(self):
        self.iface = None
        self.count = None
        self.link_level = False  # -e
        self.quick = False  # -q
        self.promiscuous = True  # -p turns it off
        self.list_links = False  # -D
        self.help = False
        self.version = False
        self.words = []


def unsupported(option):
    if option in ("-w", "-r", "-W", "-C", "-G", "--print"):
        return UsageError(f"tcpdump in this sandbox is netns-tutor's packet watcher, which cannot write or read "
                          f"capture files ({option}): that needs real tcpdump, and {REAL_TCPDUMP}.")
    return UsageError(f"tcpdump in this sandbox is netns-tutor's packet watcher, which does not support {option}: "
                      f"it supports {SUPPORTED}; {REAL_TCPDUMP}.")


def parse_count(text):
    if not text.isdigit() or int(text) == 0:
        raise UsageError(f"{PROG}: invalid packet count {text}")
    return int(text)


def apply_long_option(opts, arg, rest):
    """--name[=value]; returns how many of `rest` it used."""
    name, has_value, value = arg[2:].partition("=")
    if name == "interface":
        if not has_value and not rest:
            raise UsageError(f"{PROG}: option --interface requires an argument")
        opts.iface = value if has_value else rest[0]
        return 0 if has_value else 1
    flags = {"help": "help", "version": "version", "list-interfaces": "list_links"}
    if name in flags and not has_value:
        setattr(opts, flags[name], True)
    elif name not in ("immediate-mode", "no-promiscuous-mode"):
        raise unsupported(arg)
    if name == "no-promiscuous-mode":
        opts.promiscuous = False
    return 0


def apply_short_options(opts, arg, rest):
    """-abc, -cN, -c N, -iIFACE, -nni IFACE (getopt style); returns how many of `rest` it used.
    -n, -l, -U, -v and -s N change nothing here: it is always numeric, flushes every line, and
    keeps whole packets."""
    flags = {"n": None, "l": None, "U": None, "v": None,
             "e": "link_level", "q": "quick", "D": "list_links", "h": "help"}
    for j, ch in enumerate(arg[1:], start=1):
        if ch in "cis":
            attached = arg[j + 1:]
            if not attached and not rest:
                raise UsageError(f"{PROG}: option requires an argument -- '{ch}'")
            value = attached or rest[0]
            if ch == "c":
                opts.count = parse_count(value)
            elif ch == "i":
                opts.iface = value
            elif not value.isdigit():
                raise UsageError(f"{PROG}: invalid snaplen {value}")
            return 0 if attached else 1
        if ch == "p":
            opts.promiscuous = False
        elif ch in flags:
            if flags[ch]:
                setattr(opts, flags[ch], True)
        else:
            raise unsupported(f"-{ch}")
    return 0


def parse_options(argv):
    opts = Options()
    i = 0
    while i < len(argv):
        arg, rest = argv[i], argv[i + 1:]
        i += 1
        if arg == "--":
            opts.words.extend(rest)
            break
        if arg.startswith("--"):
            i += apply_long_option(opts, arg, rest)
        elif arg.startswith("-") and len(arg) > 1:
            i += apply_short_options(opts, arg, rest)
        else:
            opts.words.append(arg)
    return opts


# ---------------------------------------------------------------------------------------------
# Decoding


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


# ---------------------------------------------------------------------------------------------
# The filter: a subset of pcap-filter, compiled to a predicate over a Packet


class FilterError(Exception):
    def __init__(self, word):
        super().__init__(word)
        self.word = word


PROTOCOLS = {
    "ip": lambda p: p.ethertype == ETHERTYPE_IP,
    "ip6": lambda p: p.ethertype == ETHERTYPE_IPV6,
    "arp": lambda p: p.ethertype == ETHERTYPE_ARP,
    "icmp": lambda p: p.version == 4 and p.proto == 1,
    "icmp6": lambda p: p.version == 6 and p.proto == 58,
    "tcp": lambda p: p.version != 0 and p.proto == 6,
    "udp": lambda p: p.version != 0 and p.proto == 17,
}
QUALIFIERS = ("src", "dst", "port", "host", "net")


def addresses(p, direction):
    """The packet's addresses on the `direction` side(s): IP source/destination, or ARP sender/target."""
    if p.arp:
        pair = (p.arp[2], p.arp[4])
    elif p.version:
        pair = (p.src, p.dst)
    else:
        return ()
    return {"src": pair[:1], "dst": pair[1:]}.get(direction, pair)


def ports(p, direction):
    if p.sport is None:
        return ()
    return {"src": (p.sport,), "dst": (p.dport,)}.get(direction, (p.sport, p.dport))


def tokenize(text):
    return re.findall(r"&&|\|\||[()!]|[^\s()!&|]+|[&|]", text)


class FilterParser:
    """expr := unary (('and'|'or') unary)*   (equal precedence, left to right, as pcap-filter)
    unary := ('not'|'!') unary | '(' expr ')' | primitive"""

    def __init__(self, text):
        self.tokens, self.at = tokenize(text), 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        word = self.peek()
        if word is None:
            raise FilterError(None)
        self.at += 1
        return word

    def parse(self):
        if not self.tokens:
            return lambda p: True
        predicate = self.expression()
        if self.peek() is not None:
            raise FilterError(self.peek())
        return predicate

    def expression(self):
        predicate = self.unary()
        while self.peek() in ("and", "&&", "or", "||"):
            op, left, right = self.take(), predicate, self.unary()
            predicate = (lambda p, l=left, r=right: l(p) and r(p)) if op in ("and", "&&") \
                else (lambda p, l=left, r=right: l(p) or r(p))
        return predicate

    def unary(self):
        word = self.take()
        if word in ("not", "!"):
            inner = self.unary()
            return lambda p: not inner(p)
        if word == "(":
            inner = self.expression()
            if self.take() != ")":
                raise FilterError(self.tokens[self.at - 1])
            return inner
        return self.primitive(word)

    def primitive(self, word):
        if word in PROTOCOLS:
            proto = PROTOCOLS[word]
            if self.peek() in QUALIFIERS:  # `tcp port 80`: the protocol qualifies what follows
                rest = self.primitive(self.take())
                return lambda p: proto(p) and rest(p)
            return proto
        direction = None
        if word in ("src", "dst"):
            direction, word = word, self.take()
            if word not in ("port", "host", "net"):  # `src 10.0.0.1` means `src host 10.0.0.1`
                return self.match_address(direction, word, network=False)
        if word == "port":
            port = self.parse_port(self.take())
            return lambda p: port in ports(p, direction)
        if word in ("host", "net"):
            return self.match_address(direction, self.take(), network=word == "net")
        raise FilterError(word)

    @staticmethod
    def parse_port(word):
        if word.isdigit() and int(word) < 65536:
            return int(word)
        try:
            return socket.getservbyname(word)
        except OSError:
            raise FilterError(f"port {word}") from None

    @staticmethod
    def match_address(direction, word, network):
        try:
            if network:
                net = ipaddress.ip_network(word, strict=False)
                return lambda p: any(a in net for a in addresses(p, direction) if a.version == net.version)
            host = ipaddress.ip_address(word)
        except ValueError:
            raise FilterError(word) from None
        return lambda p: host in addresses(p, direction)


def compile_filter(words):
    text = " ".join(words)
    try:
        return FilterParser(text).parse()
    except FilterError as e:
        what = f'"{e.word}"' if e.word is not None else f'"{text}" (it ends too soon)'
        raise UsageError(f"netns-tutor's packet watcher does not understand {what}; it knows: {KNOWN_FILTERS}.")


# ---------------------------------------------------------------------------------------------
# Printing, as tcpdump prints


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


# ---------------------------------------------------------------------------------------------
# Links and the capture


def link_flags(name):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        raw = fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, struct.pack("16sH", name.encode()[:15], 0) + bytes(22))
        return struct.unpack("16sH", raw[:18])[1]


def link_type(name):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        raw = fcntl.ioctl(s.fileno(), SIOCGIFHWADDR, struct.pack("16s", name.encode()[:15]) + bytes(24))
        return struct.unpack("16sH", raw[:18])[1]


def list_links():
    """The links of this network namespace, in index order, with their flags."""
    return [(name, link_flags(name)) for _, name in sorted(socket.if_nameindex())]


def choose_link(opts):
    if opts.iface:
        return opts.iface
    for name, flags in list_links():
        if flags & IFF_UP and not flags & IFF_LOOPBACK:
            return name
    raise UsageError(f"{PROG}: no link is up here except lo; name one with -i (ip -br link lists them)")


def describe_link_type(iface):
    if iface == "any":
        return "LINUX_SLL2 (Linux cooked v2)"
    return "EN10MB (Ethernet)" if link_type(iface) in (ARPHRD_ETHER, ARPHRD_LOOPBACK) else "RAW (Raw IP)"


def enlarge_buffer(sock):
    """Room for a burst (a download, a flood ping) while lines are printed: up to 4 MiB, as libpcap's
    ring is a few MiB. The kernel caps it at net.core.rmem_max (SO_RCVBUFFORCE, which passes that,
    needs CAP_NET_ADMIN over the whole machine: never in a user namespace)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    except OSError:
        pass


def open_capture(iface, promiscuous):
    if iface == "any":
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        enlarge_buffer(sock)
        return sock
    try:
        if len(iface.encode()) > 15:  # longer than any link name (the ioctl would cut it)
            raise OSError()
        flags = link_flags(iface)
    except OSError:
        raise UsageError(f"{PROG}: {iface}: No such device exists (ip -br link lists the links here)") from None
    if not flags & IFF_UP:
        raise UsageError(f"{PROG}: {iface}: That device is not up")
    # protocol 0 until bound: no frame from another link is queued before bind
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    enlarge_buffer(sock)
    sock.bind((iface, ETH_P_ALL))
    if promiscuous:  # a bridge passes frames between its ports up to its own link only when promiscuous
        request = struct.pack("iHH8s", socket.if_nametoindex(iface), PACKET_MR_PROMISC, 0, b"")
        try:
            sock.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, request)
        except OSError:
            pass
    return sock


class Stop(Exception):
    pass


def stop(_signum, _frame):
    raise Stop()


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def report_counts(sock, captured):
    """As tcpdump ends. The filter runs here, not in the kernel: what it received is what it kept."""
    try:
        dropped = struct.unpack("II", sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))[1]
    except OSError:
        dropped = 0
    sys.stderr.write(f"{plural(captured, 'packet')} captured\n{plural(captured, 'packet')} received by filter\n"
                     f"{plural(dropped, 'packet')} dropped by kernel\n")
    sys.stderr.flush()


def watch(sock, opts, matches):
    captured, sequences = 0, TcpSequences()
    try:
        while opts.count is None or captured < opts.count:
            frame, address = sock.recvfrom(SNAPLEN)
            when = time.time()
            # the loopback link shows each packet leaving and arriving: tcpdump (libpcap) keeps one
            if address[2] == PACKET_OUTGOING and address[3] == ARPHRD_LOOPBACK:
                continue
            p = decode_frame(frame, address)
            if not matches(p):
                continue
            captured += 1
            sys.stdout.write(format_line(p, opts, sequences, when) + "\n")
            sys.stdout.flush()
    except Stop:
        pass
    report_counts(sock, captured)


# ---------------------------------------------------------------------------------------------
# Entry


USAGE = f"""tcpdump in this sandbox is netns-tutor's packet watcher (real tcpdump cannot switch to its own
user inside the sandbox's user namespace). It prints packets as tcpdump does, always numeric.

Usage: tcpdump [-i IFACE|any] [-c N] [-n|-nn] [-e] [-l] [-p] [-q] [-v|-vv] [-s N] [-U] [-D] [FILTER]
  -i IFACE  the link to watch (default: the first link that is up, lo aside); any: every link
  -c N      stop after N packets
  -e        print the MAC addresses
  -q        print less about each packet
  -p        do not put the link into promiscuous mode
  -D        list the links
  -n -nn -l -U -v -vv -s N   accepted (it is always numeric, flushes every line, keeps whole packets)
FILTER: {KNOWN_FILTERS}.
Writing or reading capture files (-w, -r) and other options: {REAL_TCPDUMP}.
"""


def print_version():
    real = os.environ.get("NT_REAL_TCPDUMP")
    if real:
        subprocess.run([real, "--version"], check=False)
    print(f"netns-tutor packet watcher (python {sys.version.split()[0]}), standing in for tcpdump in this sandbox")


def print_links():
    links = list_links()
    for i, (name, flags) in enumerate(links, start=1):
        state = [word for bit, word in ((IFF_UP, "Up"), (IFF_RUNNING, "Running"), (IFF_LOOPBACK, "Loopback"))
                 if flags & bit]
        print(f"{i}.{name} [{', '.join(state)}]")
    print(f"{len(links) + 1}.any (Pseudo-device that captures on all interfaces) [Up, Running]")


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends us quietly, as it ends tcpdump
    # installed whatever was inherited: a background job of a script starts with SIGINT ignored
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        opts = parse_options(argv)
        if opts.help:
            sys.stdout.write(USAGE)
            return 0
        if opts.version:
            print_version()
            return 0
        if opts.list_links:
            print_links()
            return 0
        matches = compile_filter(opts.words)
        opts.iface = choose_link(opts)
        sock = open_capture(opts.iface, opts.promiscuous)
        sys.stderr.write(f"{STAND_IN}\nlistening on {opts.iface}, link-type {describe_link_type(opts.iface)}, "
                         f"snapshot length {SNAPLEN} bytes\n")
        sys.stderr.flush()
    except UsageError as e:
        sys.stderr.write(f"{e}\n")
        return 1
    except Stop:
        return 0
    except PermissionError as e:
        sys.stderr.write(f"{PROG}: cannot open a packet socket here ({e.strerror}); {REAL_TCPDUMP}\n")
        return 1
    except OSError as e:
        sys.stderr.write(f"{PROG}: cannot capture on {opts.iface}: {e.strerror or e}\n")
        return 1
    watch(sock, opts, matches)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
