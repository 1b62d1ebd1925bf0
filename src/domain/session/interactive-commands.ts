// Which typed commands need a real terminal (a shell, an editor, a pager, a full-screen monitor,
// tcpdump without a count). The tutor hands the terminal to those instead of running them in its
// line-oriented shell, where they would hang on /dev/null or buffer their output. Pure.

export interface InteractiveMatch {
  /** The program that needs the terminal. */
  program: string;
  /** Why, for the note shown before the hand-over. */
  reason: string;
}

const SHELLS = new Set(['bash', 'sh', 'dash', 'zsh', 'ksh', 'fish', 'ash', 'busybox']);
const FULL_SCREEN = new Set([
  'vi', 'vim', 'nvim', 'view', 'vimdiff', 'nano', 'pico', 'emacs', 'joe', 'mcedit', 'ed',
  'less', 'more', 'most', 'man', 'info', 'top', 'htop', 'btop', 'atop', 'iftop', 'nload', 'iptraf-ng',
  'bmon', 'watch', 'tmux', 'screen', 'mc', 'ssh', 'telnet', 'ftp', 'sftp', 'su', 'login', 'visudo', 'vipw',
]);
const REPLS = new Set(['python', 'python3', 'node', 'irb', 'lua', 'bc', 'sqlite3', 'nft']);

/** Wrappers that run the rest of the line as the command: how many words they take. */
function skipWrapper(words: readonly string[]): number {
  const w0 = words[0];
  if (w0 === undefined) return 0;
  if (w0 === 'ip') {
    // ip [-n NS] netns exec NAME CMD...
    let i = 1;
    while (words[i]?.startsWith('-')) i += words[i] === '-n' || words[i] === '-netns' ? 2 : 1;
    if (words[i] === 'netns' && words[i + 1] === 'exec' && words[i + 2] !== undefined) return i + 3;
    return 0;
  }
  if (['sudo', 'exec', 'command', 'time', 'nohup', 'stdbuf', 'builtin'].includes(w0)) {
    let i = 1;
    while (words[i]?.startsWith('-')) i++;
    return i;
  }
  if (w0 === 'nice' || w0 === 'env') {
    let i = 1;
    while (words[i] !== undefined && (words[i]!.startsWith('-') || words[i]!.includes('='))) i += words[i] === '-n' ? 2 : 1;
    return i;
  }
  if (w0 === 'timeout') {
    let i = 1;
    while (words[i]?.startsWith('-')) i++;
    return i + 1;
  }
  if (w0 === 'nsenter' || w0 === 'unshare' || w0 === 'chroot') {
    const takesValue = new Set(['-t', '--target', '-S', '--setuid', '-G', '--setgid', '-w', '-r']);
    let i = 1;
    while (words[i] !== undefined && words[i]!.startsWith('-')) {
      if (words[i] === '--') return i + 1;
      i += takesValue.has(words[i]!) ? 2 : 1;
    }
    return w0 === 'chroot' ? i + 1 : i;
  }
  return 0;
}

function words(segment: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(segment))) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

function programOf(segment: string): string[] {
  let ws = words(segment);
  // leading VAR=value assignments
  while (ws[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(ws[0])) ws = ws.slice(1);
  for (let guard = 0; guard < 8; guard++) {
    const n = skipWrapper(ws);
    if (n === 0) break;
    ws = ws.slice(n);
  }
  return ws;
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function judge(argv: readonly string[]): InteractiveMatch | undefined {
  const [first, ...args] = argv;
  if (first === undefined) return undefined;
  const program = basename(first);
  if (SHELLS.has(program)) {
    const runsSomething = args.some((a) => a === '-c' || !a.startsWith('-'));
    return runsSomething ? undefined : { program, reason: 'an interactive shell needs a terminal' };
  }
  if (FULL_SCREEN.has(program)) return { program, reason: `${program} needs a terminal` };
  if (REPLS.has(program)) {
    if (program === 'nft') return args.some((a) => a === '-i' || a === '--interactive') ? { program, reason: 'nft -i is interactive' } : undefined;
    return args.length === 0 ? { program, reason: `${program} without arguments is interactive` } : undefined;
  }
  if (program === 'tcpdump') {
    const counted = args.some((a) => a === '-c' || /^-[^-]*c\d*$/.test(a) || a.startsWith('--count'));
    const toFile = args.some((a) => a === '-w' || /^-[^-]*w$/.test(a));
    return counted || toFile ? undefined : { program, reason: 'tcpdump without -c runs until you stop it' };
  }
  if (program === 'mtr') {
    return args.some((a) => a === '-r' || a === '--report' || a === '-w' || a === '--report-wide') ? undefined : { program, reason: 'mtr is a full-screen program' };
  }
  return undefined;
}

/** The first part of a command line (pipelines and lists included) that needs a terminal. */
export function detectInteractive(command: string): InteractiveMatch | undefined {
  // split on pipes and command lists; quoted separators are rare in what learners type here
  for (const segment of command.split(/\|\||&&|[|;&\n]|\$\(|`|\(|\)/)) {
    const match = judge(programOf(segment.trim()));
    if (match) return match;
  }
  return undefined;
}

/** `exit` or `logout` typed at the tutor's prompt would end the tutor's own shell. */
export function isShellExit(command: string): boolean {
  return /^\s*(exit|logout)(\s+\d+)?\s*$/.test(command);
}
