// The sandbox's two scripts. OUTER_SCRIPT runs as PID 1 of the sandbox's PID namespace, in the
// outer user namespace (root there is an unprivileged id outside) and the mount namespace where it
// builds the sandbox's file tree: its own /proc, /sys, /run, /tmp, /dev/shm, /dev/pts, /etc and
// /root, the host's files read-only. Then it execs INIT_SCRIPT in a NESTED user namespace with new
// network, UTS, IPC and mount namespaces: the kernel locks every mount inherited from a more
// privileged namespace, so root inside can neither remount them writable nor unmount /proc or
// /sys to see the host's underneath, and cannot mount a new proc (the PID namespace belongs to
// the outer user namespace). INIT_SCRIPT, the init, builds the lab's ground (lo, the simulated
// internet), says "ready", then waits for its stdin to close: when the tutor exits or is killed,
// EOF ends PID 1 and the kernel ends every process and frees every namespace, link and rule.
//
// Inputs, as environment variables: NT_NODE (node binary), NT_PKG (netns-tutor's package root),
// NT_UPSTREAM_SERVER_PL and NT_UPSTREAM_SERVER (the web server in perl, or in node where perl is
// missing), NT_CLI (the netns-tutor entry), NT_PACKET_WATCH (the packet watcher that stands in for
// tcpdump), NT_STAGE (a host directory whose etc/ and root/ trees are placed privately over /etc
// and /root), NT_INTERNET (1 to build the simulated internet), NT_HOSTNAME, NT_IDS (range: root
// is a whole range of ids, so setgroups works and real tcpdump runs; self: only the caller's id),
// NT_MAX_TASKS (processes and threads the sandbox may have at once), NT_TCPDUMP (watcher: the
// packet watcher stands in for tcpdump even where real tcpdump could run), NT_INIT (INIT_SCRIPT).

import { SANDBOX_BASHRC } from './bashrc.js';
import { SEND_FRAMES_FN } from './job-frames.js';
// the places other modules look for (see domain/sandbox-layout.ts); the rest of /run/tutor is the init's own
import { NAMED_NETNS_DIR, TUTOR_BASHRC, TUTOR_BIN_DIR, UPSTREAM_NETNS_FILE } from '../../domain/sandbox-layout.js';

export const OUTER_SCRIPT = String.raw`
set -eu
umask 022
fail() { echo "init: $*" >&2; exit 1; }
# its own /proc (this PID namespace: the sandbox's processes only) and /sys (an empty network
# namespace): below the init's own they are all a learner could uncover
mount -t proc -o nosuid,nodev,noexec tutor-proc /proc || fail "cannot mount the sandbox's /proc"
mount -t sysfs -o nosuid,nodev,noexec tutor-sys0 /sys || fail "cannot mount the sandbox's /sys"
mount -t tmpfs -o mode=755,nosuid,nodev,size=64m tutor-run /run || fail "cannot mount a private /run"
mkdir -p ${NAMED_NETNS_DIR} /run/tutor/etc-upper /run/tutor/etc-work ${TUTOR_BIN_DIR} /run/tutor/tmp /run/tutor/pkg
# what runs inside from the host (node, the CLI, its assets) is seen read-only at fixed places,
# bound before /tmp is replaced (a copy of the CLI may live under /tmp)
mount --bind "$NT_PKG" /run/tutor/pkg || fail "cannot show netns-tutor inside the sandbox"
: >/run/tutor/node && mount --bind "$NT_NODE" /run/tutor/node || fail "cannot show node inside the sandbox"
# (parameter expansions, not $(...): every fork counts towards the sandbox's start time)
NT_CLI=/run/tutor/pkg${'$'}{NT_CLI#"$NT_PKG"} NT_UPSTREAM_SERVER=/run/tutor/pkg${'$'}{NT_UPSTREAM_SERVER#"$NT_PKG"}
NT_UPSTREAM_SERVER_PL=/run/tutor/pkg${'$'}{NT_UPSTREAM_SERVER_PL#"$NT_PKG"} NT_PACKET_WATCH=/run/tutor/pkg${'$'}{NT_PACKET_WATCH#"$NT_PKG"}
NT_NODE=/run/tutor/node
export NT_CLI NT_UPSTREAM_SERVER NT_UPSTREAM_SERVER_PL NT_PACKET_WATCH NT_NODE

# /etc: an overlay whose upper layer is ours, so lessons may write /etc/sysctl.conf and create
# /etc/kubernetes/... while the host's /etc stays untouched.
copy() { while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' "$l"; done <"$1"; }
if [ -f /etc/sysctl.conf ]; then copy /etc/sysctl.conf >/run/tutor/etc-upper/sysctl.conf
else printf '# /etc/sysctl.conf (private to this sandbox)\n' >/run/tutor/etc-upper/sysctl.conf; fi
# /etc/sysctl.d as a directory of our own in the upper layer (merged with the host's files): lesson
# 05 writes a file there, and unprivileged the host's directory belongs to an unmapped root.
mkdir -p /run/tutor/etc-upper/sysctl.d
# No DNS server is reachable from the sandbox: make lookups fail at once instead of waiting out the
# host's resolver (python3 -m http.server looks up its own name at start: 10 s without this).
printf '# netns-tutor sandbox: no DNS server is reachable from here\nnameserver 127.0.0.1\n' >/run/tutor/etc-upper/resolv.conf
{ if [ -f /etc/hosts ]; then copy /etc/hosts; fi
  printf '127.0.1.1 %s\n' "$NT_HOSTNAME"; } >/run/tutor/etc-upper/hosts
if [ -d "$NT_STAGE/etc" ]; then cp -a "$NT_STAGE/etc/." /run/tutor/etc-upper/; fi
mount -t overlay tutor-etc -o lowerdir=/etc,upperdir=/run/tutor/etc-upper,workdir=/run/tutor/etc-work /etc 2>/dev/null \
  || mount -t overlay tutor-etc -o userxattr,lowerdir=/etc,upperdir=/run/tutor/etc-upper,workdir=/run/tutor/etc-work /etc \
  || mount --bind /run/tutor/etc-upper/sysctl.conf /etc/sysctl.conf \
  || fail "cannot place a private /etc"
mount -t tmpfs -o mode=700,nosuid,nodev,size=64m tutor-home /root || fail "cannot mount a private /root"
if [ -d "$NT_STAGE/root" ]; then cp -a "$NT_STAGE/root/." /root/; fi
# private temp dirs: nothing of the host's /tmp (tmux and X sockets, agents) is reachable
mount -t tmpfs -o mode=1777,nosuid,nodev,size=256m tutor-tmp /tmp || fail "cannot mount a private /tmp"
if [ -d /dev/shm ]; then mount -t tmpfs -o mode=1777,nosuid,nodev,size=64m tutor-shm /dev/shm || fail "cannot mount a private /dev/shm"; fi
# netns-tutor seen at its own path too where that is under a temp dir just replaced (a checkout in
# /tmp): the paths the tutor hands in (a course folder, the packet watcher) still resolve; the loop
# below makes it read-only like the rest of the host
case "$NT_PKG" in /tmp/*|/dev/shm/*) mkdir -p "$NT_PKG" && mount --bind /run/tutor/pkg "$NT_PKG" || fail "cannot show netns-tutor at $NT_PKG" ;; esac
# terminals of its own: the host's /dev/pts (the learner's other terminals) is not reachable
if mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 tutor-pts /dev/pts 2>/dev/null; then mount --bind /dev/pts/ptmx /dev/ptmx 2>/dev/null || true; fi

# The host's files are read-only in here (locked so by the nested user namespace): a stray rm, or
# a tool's default state directory (/var/lib/cni), stays off the host, and so do world-writable
# places such as /var/tmp.
while read -r _ _ _ _ mp opts _; do
  case "$mp" in
    /run/tutor/pkg|/run/tutor/node) ;;
    /proc|/proc/*|/sys|/sys/*|/dev|/dev/pts|/dev/ptmx|/dev/shm|/run|/run/*|/etc|/root|/tmp) continue ;;
  esac
  case ",$opts," in *,ro,*) continue ;; esac
  # flags the kernel locked on mounts inherited from the host must be repeated
  keep=ro
  for f in nosuid nodev noexec noatime nodiratime relatime; do case ",$opts," in *",$f,"*) keep="$keep,$f" ;; esac; done
  case "$mp" in *\\*) mp=$(printf '%b' "$mp") ;; esac # octal escapes (\040 for a space)
  mount -o "remount,bind,$keep" "$mp" 2>/dev/null || mount -o "remount,bind,$keep,nosuid,nodev" "$mp" || fail "cannot make $mp read-only"
done </proc/self/mountinfo

# a cap on processes and threads: counted for the nested user namespace as a whole (the kernel
# records this limit in it when it is created), whoever enters it later
ulimit -u "$NT_MAX_TASKS"
unset NT_OUTER
if [ "$NT_IDS" = range ]; then
  # the whole range again (setgroups allowed: real tcpdump can switch to its user)
  exec env PATH="/run/tutor/pkg/assets/idmap:$PATH" unshare --user --map-users=0,0,65536 --map-groups=0,0,65536 --setuid 0 --setgid 0 \
    --net --uts --ipc --mount --pid --fork --mount-proc -- bash --norc --noprofile -c 'eval "$NT_INIT"' netns-tutor-init
fi
exec unshare --user --map-root-user --net --uts --ipc --mount --pid --fork --mount-proc -- bash --norc --noprofile -c 'eval "$NT_INIT"' netns-tutor-init
`;

export const INIT_SCRIPT = String.raw`
set -eu
${SEND_FRAMES_FN}
fail() { echo "init: $*" >&2; exit 1; }
# A sysfs of the sandbox's own network namespace: /sys/class/net lists its links.
mount -t sysfs -o nosuid,nodev,noexec tutor-sys /sys || fail "cannot mount the sandbox's /sys"
hostname "$NT_HOSTNAME" 2>/dev/null || true

if [ "$NT_INTERNET" = 1 ]; then
  : >${UPSTREAM_NETNS_FILE}
  unshare --net=${UPSTREAM_NETNS_FILE} true || fail "cannot create the upstream namespace"
  # the server starts while the links are built; we wait for its first line at the end (a pipe,
  # read with a deadline). perl starts in a few ms where node takes ~50; node is the fallback
  # where perl is missing
  exec 3< <(nsenter --net=${UPSTREAM_NETNS_FILE} bash -c 'perl "$NT_UPSTREAM_SERVER_PL" || exec "$NT_NODE" "$NT_UPSTREAM_SERVER"' 2>/run/tutor/upstream-http.log)
fi

cd /root

printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$NT_NODE" "$NT_CLI" >${TUTOR_BIN_DIR}/netns-tutor
chmod 755 ${TUTOR_BIN_DIR}/netns-tutor
# tcpdump switches to its own user after opening the capture, which needs setgroups(): denied in
# the sandbox's user namespace (even with -Z root). netns-tutor's packet watcher (python3 on an
# AF_PACKET socket, which root here may open) stands in for it. Without python3, tcpdump runs and
# its failure is explained. Where root is a whole range of ids (root's tutor), real tcpdump runs.
if { [ "$NT_IDS" != range ] || [ "$NT_TCPDUMP" = watcher ]; } && real=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v tcpdump); then
  if py=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v python3) && [ -r "$NT_PACKET_WATCH/__main__.py" ]; then
    { echo '#!/bin/bash'
      echo "# netns-tutor: tcpdump cannot capture in this sandbox's user namespace; its packet watcher stands in"
      # -B: python writes no __pycache__ beside the watcher's modules (they may sit in a checkout)
      printf 'NT_REAL_TCPDUMP=%q exec %q -B %q "$@"\n' "$real" "$py" "$NT_PACKET_WATCH"; } >${TUTOR_BIN_DIR}/tcpdump
  else
    cat >${TUTOR_BIN_DIR}/tcpdump <<EOF
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
  chmod 755 ${TUTOR_BIN_DIR}/tcpdump
fi

cat >${TUTOR_BASHRC} <<'EOF'
${SANDBOX_BASHRC}
EOF
# a bash started inside (ip netns exec fox bash) reads ~/.bashrc: the same rc, naming its netns
[ -e /root/.bashrc ] || echo '. ${TUTOR_BASHRC}' >/root/.bashrc

ip link set lo up
# A new network namespace copies its IPv4 settings from the machine's own (a Docker host has
# ip_forward=1): the sandbox starts as a fresh machine would, not forwarding.
echo 0 >/proc/sys/net/ipv4/ip_forward
if [ "$NT_INTERNET" = 1 ]; then
  ip -b - <<EOF
link add eth0 type veth peer name eth0 netns ${UPSTREAM_NETNS_FILE}
addr add 203.0.113.2/24 dev eth0
link set eth0 up
route add default via 203.0.113.1
EOF
  nsenter --net=${UPSTREAM_NETNS_FILE} ip -b - <<EOF
link set lo up
addr add 198.51.100.10/32 dev lo
addr add 192.0.2.10/32 dev lo
addr add 203.0.113.1/24 dev eth0
link set eth0 up
EOF
  read -r -t 10 -u 3 line || fail "the simulated internet's web server did not start: $(cat /run/tutor/upstream-http.log)"
  exec 3<&-
fi

echo ready
# A first script (a replay of earlier lessons) runs at once, without waiting for the tutor to get
# round to it; its output goes to files, its status to our stdout.
if [ -n "${'$'}{NT_FIRST-}" ]; then
  (
    set +eu
    nt_first=$NT_FIRST
    unset NT_FIRST NT_INIT NT_OUTER
    # its output goes back as frames on our stdout (the tutor opens no file in here), read through
    # the descriptors we hold: a symlink the script puts in place of first.out is not followed, and
    # the files are gone from /run/tutor before the script starts
    exec {nt_o}>/run/tutor/first.out {nt_e}>/run/tutor/first.err
    rm -f /run/tutor/first.out /run/tutor/first.err
    (exec {nt_o}>&- {nt_e}>&-; eval "$nt_first") </dev/null >&"$nt_o" 2>&"$nt_e"
    nt_rc=$?; LC_ALL=C; __nt_send o "/proc/self/fd/$nt_o"; __nt_send e "/proc/self/fd/$nt_e"
    printf '\036first-done %d\n' "$nt_rc"
  ) &
fi
# PID 1 lives until its stdin closes (the tutor exited, or was killed).
while read -r _; do :; done
`;
