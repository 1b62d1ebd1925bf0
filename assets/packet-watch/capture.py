"""The links of this network namespace, the packet socket on one (or any), and the capture loop
with its closing counts."""

import fcntl
import socket
import struct
import sys
import time

from decode import decode_frame
from describe import TcpSequences, format_line
from usage import PROG, UsageError
from wire import (ARPHRD_ETHER, ARPHRD_LOOPBACK, ETH_P_ALL, IFF_LOOPBACK, IFF_UP, PACKET_ADD_MEMBERSHIP,
                  PACKET_MR_PROMISC, PACKET_OUTGOING, PACKET_STATISTICS, SIOCGIFFLAGS, SIOCGIFHWADDR, SNAPLEN,
                  SOL_PACKET)


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
