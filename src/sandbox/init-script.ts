// The sandbox's init (PID 1 of its PID namespace), as a bash script. It builds the lab's fixed
// ground (private /run and /etc, lo, the simulated internet), says "ready", then waits for its
// stdin to close: when the tutor exits or is killed, EOF ends PID 1 and the kernel ends every
// process and frees every namespace, link and rule with it.
//
// Inputs, as environment variables: NT_NODE (node binary), NT_UPSTREAM_SERVER_PL and
// NT_UPSTREAM_SERVER (the web server in perl, or in node where perl is missing), NT_CLI (the
// netns-tutor entry), NT_PACKET_WATCH (the packet watcher that stands in for tcpdump), NT_STAGE
// (a host directory whose etc/ and root/ trees are placed privately over /etc and /root),
// NT_INTERNET (1 to build the simulated internet), NT_HOSTNAME, NT_MODE (userns or root).

import { SANDBOX_BASHRC } from './bashrc.js';

export const INIT_SCRIPT = String.raw`
set -eu
fail() { echo "init: $*" >&2; exit 1; }
mount -t tmpfs -o mode=755 tutor-run /run || fail "cannot mount a private /run"
mkdir -p /run/netns /run/tutor/etc-upper /run/tutor/etc-work /run/tutor/bin /run/tutor/tmp

protect_host() {
  set -e
  # A sysfs of the sandbox's own network namespace: /sys/class/net lists its links, not the host's.
  mount -t sysfs tutor-sys /sys 2>/dev/null || true
  # The host's files are read-only in here: the lab writes its private /etc, /root and /run, and the
  # temp dirs /tmp and /dev/shm (shared with the host: the CLI itself may live under /tmp). Run by
  # root, the sandbox's root owns the host's root-owned files: this keeps a stray rm, or a tool's
  # default state directory (/var/lib/cni), off the host.
  mount --bind /tmp /tmp
  while read -r _ _ _ _ mp opts _; do
    case "$mp" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/run|/run/*|/etc|/etc/*|/root|/root/*|/tmp|/tmp/*) continue ;; esac
    case ",$opts," in *,ro,*) continue ;; esac
    # flags the kernel locked on mounts inherited from the host must be repeated
    keep=ro
    for f in nosuid nodev noexec noatime nodiratime relatime; do case ",$opts," in *",$f,"*) keep="$keep,$f" ;; esac; done
    case "$mp" in *\\*) mp=$(printf '%b' "$mp") ;; esac # octal escapes (\040 for a space)
    mount -o "remount,bind,$keep" "$mp" 2>/dev/null || true
  done </proc/self/mountinfo
  if [ "$NT_MODE" = root ]; then
    # without a user namespace, root here is root on the host: the kernel's global settings stay
    # out of reach (network sysctls are per namespace and stay writable)
    mount -o remount,bind,ro /sys 2>/dev/null || true
    mount --bind /proc/sys /proc/sys && mount --bind /proc/sys/net /proc/sys/net && mount -o remount,bind,ro /proc/sys || fail "cannot protect /proc/sys"
  fi
}
# in parallel with the rest (a few mount calls): waited for before "ready"
protect_host & protecting=$!
hostname "$NT_HOSTNAME" 2>/dev/null || true

if [ "$NT_INTERNET" = 1 ]; then
  touch /run/tutor/upstream
  unshare --net=/run/tutor/upstream true || fail "cannot create the upstream namespace"
  mkfifo /run/tutor/upstream-http.fifo
  # opened read-write: the open never blocks, and the wait below has a deadline
  exec 3<>/run/tutor/upstream-http.fifo
  # the server starts while the links are built; we wait for it at the end
  # perl starts in a few ms where node takes ~50; node is the fallback where perl is missing
  nsenter --net=/run/tutor/upstream bash -c 'perl "$NT_UPSTREAM_SERVER_PL" || exec "$NT_NODE" "$NT_UPSTREAM_SERVER"' \
    >/run/tutor/upstream-http.fifo 2>/run/tutor/upstream-http.log &
fi

# /etc: an overlay whose upper layer is ours, so lessons may write /etc/sysctl.conf and create
# /etc/kubernetes/... while the host's /etc stays untouched.
if [ -f /etc/sysctl.conf ]; then cp /etc/sysctl.conf /run/tutor/etc-upper/sysctl.conf
else printf '# /etc/sysctl.conf (private to this sandbox)\n' >/run/tutor/etc-upper/sysctl.conf; fi
# No DNS server is reachable from the sandbox: make lookups fail at once instead of waiting out the
# host's resolver (python3 -m http.server looks up its own name at start: 10 s without this).
printf '# netns-tutor sandbox: no DNS server is reachable from here\nnameserver 127.0.0.1\n' >/run/tutor/etc-upper/resolv.conf
{ if [ -f /etc/hosts ]; then while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' "$l"; done </etc/hosts; fi
  printf '127.0.1.1 %s\n' "$NT_HOSTNAME"; } >/run/tutor/etc-upper/hosts
if [ -d "$NT_STAGE/etc" ]; then cp -a "$NT_STAGE/etc/." /run/tutor/etc-upper/; fi
chmod 755 /run/tutor/etc-upper
mount -t overlay tutor-etc -o lowerdir=/etc,upperdir=/run/tutor/etc-upper,workdir=/run/tutor/etc-work /etc 2>/dev/null \
  || mount -t overlay tutor-etc -o userxattr,lowerdir=/etc,upperdir=/run/tutor/etc-upper,workdir=/run/tutor/etc-work /etc \
  || mount --bind /run/tutor/etc-upper/sysctl.conf /etc/sysctl.conf \
  || fail "cannot place a private /etc"
mount -t tmpfs -o mode=700 tutor-home /root || fail "cannot mount a private /root"
if [ -d "$NT_STAGE/root" ]; then cp -a "$NT_STAGE/root/." /root/; fi
cd /root

printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$NT_NODE" "$NT_CLI" >/run/tutor/bin/netns-tutor
chmod 755 /run/tutor/bin/netns-tutor
# tcpdump switches to its own user after opening the capture, which needs setgroups(): denied in
# the sandbox's user namespace (even with -Z root). netns-tutor's packet watcher (python3 on an
# AF_PACKET socket, which root here may open) stands in for it. Without python3, tcpdump runs and
# its failure is explained. As root without a user namespace, real tcpdump runs untouched.
if [ "$NT_MODE" = userns ] && real=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v tcpdump); then
  if py=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v python3) && [ -r "$NT_PACKET_WATCH/__main__.py" ]; then
    { echo '#!/bin/bash'
      echo "# netns-tutor: tcpdump cannot capture in this sandbox's user namespace; its packet watcher stands in"
      # -B: python writes no __pycache__ beside the watcher's modules (they may sit in a checkout)
      printf 'NT_REAL_TCPDUMP=%q exec %q -B %q "$@"\n' "$real" "$py" "$NT_PACKET_WATCH"; } >/run/tutor/bin/tcpdump
  else
    cat >/run/tutor/bin/tcpdump <<EOF
#!/bin/bash
err=\$(mktemp /run/tutor/tmp/tcpdump.XXXXXX)
"$real" "\$@" 2> >(tee "\$err" >&2)
status=\$?
wait \$! 2>/dev/null
if grep -q "Couldn't change to" "\$err"; then
  echo "netns-tutor: tcpdump cannot capture inside this sandbox: it insists on switching to its own user," >&2
  echo "which the sandbox's user namespace does not allow. Watch packets with counters instead:" >&2
  echo "  ip -s link show DEV   (rx/tx packets)   nstat -az   conntrack -L / -E   iptables -t nat -L -v -n" >&2
  echo "(with python3 installed, netns-tutor's packet watcher stands in for tcpdump here)" >&2
fi
rm -f "\$err"
exit \$status
EOF
  fi
  chmod 755 /run/tutor/bin/tcpdump
fi

cat >/run/tutor/bashrc <<'EOF'
${SANDBOX_BASHRC}
EOF
# a bash started inside (ip netns exec fox bash) reads ~/.bashrc: the same rc, naming its netns
[ -e /root/.bashrc ] || echo '. /run/tutor/bashrc' >/root/.bashrc

ip link set lo up
# A new network namespace copies its IPv4 settings from the machine's own (a Docker host has
# ip_forward=1): the sandbox starts as a fresh machine would, not forwarding.
echo 0 >/proc/sys/net/ipv4/ip_forward
if [ "$NT_INTERNET" = 1 ]; then
  ip -b - <<EOF
link add eth0 type veth peer name eth0 netns /run/tutor/upstream
addr add 203.0.113.2/24 dev eth0
link set eth0 up
route add default via 203.0.113.1
EOF
  nsenter --net=/run/tutor/upstream ip -b - <<EOF
link set lo up
addr add 198.51.100.10/32 dev lo
addr add 192.0.2.10/32 dev lo
addr add 203.0.113.1/24 dev eth0
link set eth0 up
EOF
  read -r -t 10 -u 3 line || fail "the simulated internet's web server did not start: $(cat /run/tutor/upstream-http.log)"
  exec 3<&-
fi

wait "$protecting" || fail "cannot protect the host's files and settings"
echo ready
# A first script (a replay of earlier lessons) runs at once, without waiting for the tutor to get
# round to it; its output goes to files, its status to our stdout.
if [ -n "${'$'}{NT_FIRST-}" ]; then
  (
    set +eu
    nt_first=$NT_FIRST
    unset NT_FIRST NT_INIT
    (eval "$nt_first") </dev/null >/run/tutor/first.out 2>/run/tutor/first.err
    echo "first-done $?"
  ) &
fi
# PID 1 lives until its stdin closes (the tutor exited, or was killed).
while read -r _; do :; done
`;
