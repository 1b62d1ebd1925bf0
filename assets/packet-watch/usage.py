"""What the packet watcher tells the learner about itself: its name, the stand-in notice, what it
supports, the -h text, and UsageError for a bad command line."""

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
