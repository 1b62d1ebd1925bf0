"""netns-tutor's packet watcher: stands in for tcpdump inside the rootless sandbox.

Real tcpdump opens its capture, then insists on switching to its own user; the sandbox's user
namespace denies setgroups(), so it exits before printing a packet. An AF_PACKET socket needs
only CAP_NET_RAW in the sandbox's own network namespaces, which root inside has. This reads
frames from one, keeps those a small subset of pcap-filter accepts, and prints them as tcpdump
does (always numeric). Stdlib only; run by the sandbox's tcpdump wrapper.

This is the entry: the wrapper runs the directory (`python3 -B DIR ARGS`), which puts DIR first on
sys.path, so the modules beside this one are imported by their bare names (none shadows the stdlib).
-B: no __pycache__ is written into the checkout or the sandbox.
"""

import os
import signal
import subprocess
import sys

from capture import choose_link, describe_link_type, list_links, open_capture, Stop, stop, watch
from options import parse_options
from pcap_filter import compile_filter
from usage import PROG, REAL_TCPDUMP, STAND_IN, USAGE, UsageError
from wire import IFF_LOOPBACK, IFF_RUNNING, IFF_UP, SNAPLEN


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
