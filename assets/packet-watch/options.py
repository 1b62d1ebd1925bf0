"""The command line, parsed as tcpdump's getopt does, into Options; what it cannot do is refused."""

from usage import PROG, REAL_TCPDUMP, SUPPORTED, UsageError


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
