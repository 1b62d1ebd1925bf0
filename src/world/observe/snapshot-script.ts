// The one bash script that reads a whole network world (host, every `ip netns list` namespace,
// the upstream side) in a single runner call. Pure: it only builds text; parse-snapshot.ts reads
// what it prints. Output format: lines starting with \x1e are markers (see parse-sections.ts).
import { quoteForShell } from '../../domain/shell-quote.js';
import { NAMED_NETNS_DIR, UPSTREAM_NAME, UPSTREAM_NETNS_FILE } from '../../domain/sandbox-layout.js';

// Runs inside one namespace (entered with nsenter, or the runner's own for the host).
// Each part: a `\x1epart NAME` line, the command's stdout, then `\n\x1erc N`.
const PER_NAMESPACE = String.raw`
# The ip part alone (links, addresses, routes, neighbours, netns ids, policy rules and the routes of
# every table: one ip process); "$@" is
# the ip command: plain \`ip\` here, \`ip -n NAME\` or \`nsenter --net=PATH ip\` for a namespace read
# no deeper (ip -n enters it itself: one process fewer than nsenter).
nt_ip() {
  printf '%spart ip\n' "$S"
  "$@" -force -j -d -b - 2>/dev/null <<'NT_BATCH'
link show
addr show
route show
neigh show
netns list-id
rule show
route show table all
NT_BATCH
  printf '\n%src %s\n' "$S" "$?"
}
nt_per_ns() {
  local S=$'\036' c
  nt_ip ip
  printf '%spart sysctl\n' "$S"
  # bash builtins only: no process per file
  for f in /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/forwarding \
    /proc/sys/net/ipv4/conf/*/proxy_arp /proc/sys/net/ipv4/icmp_echo_ignore_all /proc/sys/net/bridge/bridge-nf-call-iptables; do
    [ -r "$f" ] && read -r c <"$f" && printf '%s:%s\n' "$f" "$c"
  done
  printf '\n%src 0\n' "$S"
  # its header names the backend (nf_tables or legacy)
  printf '%spart iptables\n' "$S"
  if command -v iptables-save >/dev/null; then iptables-save 2>/dev/null; else (exit 127); fi
  printf '\n%src %s\n' "$S" "$?"
  # native nftables, when asked for (iptables-nft's own tables show here too; the walk skips what
  # iptables-save showed). One nft process, ~1 ms; left out where nft is not installed
  if [ "$NT_NFT" = 1 ] && command -v nft >/dev/null; then
    printf '%spart nft\n' "$S"
    nft -j list ruleset 2>/dev/null
    printf '\n%src %s\n' "$S" "$?"
  fi
  # conntrack, when asked for (a dump costs ~5 ms); it starts lazily per namespace, so an
  # empty table is not dumped at all
  c=0; [ -r /proc/sys/net/netfilter/nf_conntrack_count ] && read -r c </proc/sys/net/netfilter/nf_conntrack_count
  if [ "$NT_CONNTRACK" = 1 ] && command -v conntrack >/dev/null; then
    printf '%spart conntrack\n' "$S"
    if [ "$c" != 0 ]; then conntrack -L 2>/dev/null; else true; fi
    printf '\n%src %s\n' "$S" "$?"
  fi
  # listening TCP sockets. Any socket lookup walks the machine-wide hash table (a few ms per
  # namespace), so first ask /proc/net/sockstat{,6}, which counts this namespace's sockets only.
  printf '%spart ss\n' "$S"
  c=0; local l
  for f in /proc/net/sockstat /proc/net/sockstat6; do
    [ -r "$f" ] || continue
    while read -r l; do case $l in 'TCP: inuse '*|'TCP6: inuse '*) l=${'$'}{l#*inuse }; c=$((c + ${'$'}{l%% *}));; esac; done <"$f"
  done
  if [ "$c" != 0 ]; then ss -Hltn 2>/dev/null; fi
  printf '\n%src 0\n' "$S"
}
export -f nt_ip nt_per_ns
`;

const WORLD = String.raw`
set +e
S=$'\036'
# One job per namespace, a pool of them in parallel, each writing into its own pipe; one cat reads
# the pipes in order (no temp files: every fork costs a millisecond or two).
nt_job() { # kind name nspath
  printf '%sns %s %s\n' "$S" "$1" "$2"
  # a namespace not asked for in depth: its ip state only, without a bash inside it
  if [ -n "${'$'}{NT_DEEP+x}" ] && [[ " $NT_DEEP " != *" $2 "* ]]; then
    case $1 in host) nt_ip ip ;; named) nt_ip ip -n "$2" ;; *) nt_ip nsenter --net="$3" ip ;; esac
    return
  fi
  if [ -z "$3" ]; then nt_per_ns; return; fi
  local err
  { err=$(nsenter --net="$3" bash -c nt_per_ns 2>&1 >&3); r=$?; } 3>&1
  if [ "$r" != 0 ]; then printf '%spart error\n%s\n%src %s\n' "$S" "$err" "$S" "$r"; fi
}
# A bounded pool: at most NT_POOL jobs at once, read in order a batch at a time; and at most
# NT_MAX_NS named namespaces besides those asked for (NT_DEEP, NT_WANT) (1,000 \`ip netns add\` must not start
# 1,000 jobs per snapshot): the rest are counted in an \`unread N\` marker.
nt_pool=()
nt_flush() {
  local fd
  ((${'$'}{#nt_pool[@]})) || return 0
  cat "${'$'}{nt_pool[@]/#//dev/fd/}"
  for fd in "${'$'}{nt_pool[@]}"; do exec {fd}<&-; done
  nt_pool=()
}
nt_start() {
  local fd
  exec {fd}< <(nt_job "$@"); nt_pool+=("$fd")
  ((${'$'}{#nt_pool[@]} < NT_POOL)) || nt_flush
}
nt_start host host ""
printf '%sworld %s\n' "$S" "${'$'}{NETNS_TUTOR_SANDBOX:+sandbox}"
`;

/** Namespaces read at once (each a few processes; more would only queue for the CPUs). */
export const SNAPSHOT_PARALLEL = 8;
/** Named namespaces read at most, besides those asked for in depth (`deepIn`) or by name
 *  (`include`); the rest are counted (Snapshot.unreadNamespaces). */
export const SNAPSHOT_MAX_NAMESPACES = 64;

/** The script; `files` are absolute paths to read as well; `conntrack` adds conntrack -L, `nft`
 *  adds nft -j list ruleset; `deepIn` limits sysctls, iptables, nft, conntrack and sockets to those
 *  namespaces (name the host as "host" to read it in depth). */
export function buildSnapshotScript(
  files: readonly string[] = [],
  options: { conntrack?: boolean; nft?: boolean; deepIn?: readonly string[]; include?: readonly string[]; maxNamespaces?: number; parallel?: number } = {},
): string {
  const readFiles = files
    .map((f) => {
      const q = quoteForShell(f);
      return `printf '%sfile %s\\n' "$S" ${q}; if [ -f ${q} ] && [ -r ${q} ]; then cat -- ${q}; printf '\\n%src 0\\n' "$S"; else printf '\\n%src 1\\n' "$S"; fi`;
    })
    .join('\n');
  // the names `ip netns list` shows, read from its directory without starting it
  const collect = String.raw`
nt_read=0 nt_unread=0
for f in ${NAMED_NETNS_DIR}/*; do
  [ -e "$f" ] || continue
  n=${'$'}{f##*/}
  if ((nt_read >= NT_MAX_NS)) && [[ " ${'$'}{NT_DEEP-} $NT_WANT " != *" $n "* ]]; then
    nt_unread=$((nt_unread + 1)); continue
  fi
  nt_read=$((nt_read + 1))
  nt_start named "$n" "$f"
done
if [ -e ${UPSTREAM_NETNS_FILE} ]; then nt_start upstream ${UPSTREAM_NAME} ${UPSTREAM_NETNS_FILE}; fi
nt_flush
if ((nt_unread)); then printf '%sunread %d\n' "$S" "$nt_unread"; fi
`;
  const deep = options.deepIn ? `NT_DEEP=${quoteForShell(options.deepIn.join(' '))}` : 'unset NT_DEEP';
  const limits = `NT_POOL=${options.parallel ?? SNAPSHOT_PARALLEL} NT_MAX_NS=${options.maxNamespaces ?? SNAPSHOT_MAX_NAMESPACES} NT_WANT=${quoteForShell((options.include ?? []).join(' '))}`;
  return `export NT_CONNTRACK=${options.conntrack ? 1 : 0} NT_NFT=${options.nft ? 1 : 0}\n${deep}\n${limits}\n${PER_NAMESPACE}${WORLD}${readFiles}\n${collect}`;
}
