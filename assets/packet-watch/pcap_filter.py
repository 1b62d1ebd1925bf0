"""The filter: a subset of pcap-filter, compiled to a predicate over a Packet."""

import ipaddress
import re
import socket

from usage import KNOWN_FILTERS, UsageError
from wire import ETHERTYPE_ARP, ETHERTYPE_IP, ETHERTYPE_IPV6


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
