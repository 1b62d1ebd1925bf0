// The persistent shell's framing (see shell-session.ts): the prelude that makes bash end every
// command with a marker carrying a per-session token and the exit code, and the scanner that finds
// those markers in the output as it streams in, a marker split across two chunks included.

export interface ShellFraming {
  /** What bash reads first: the INT trap and __nt_end, which prints the marker. */
  prelude: string;
  /** The line that runs `command` (already quoted for bash) and then prints the marker. */
  commandLine(quotedCommand: string): string;
  /** A scanner for one stream: text and end-of-command markers, in order. */
  scanner(): (chunk: string) => FramedPart[];
}

export type FramedPart = { kind: 'text'; text: string } | { kind: 'end'; exitCode: number };

export function shellFraming(token: string): ShellFraming {
  const marker = `\u001eNT-${token}`;
  const markerRe = new RegExp(`\u001eNT-${token} (\\d+)\u001e`);
  return {
    prelude: [
      // `break` from the trap leaves the one-pass loop around the command: the rest of the line
      // and any loop in it are skipped, as Ctrl-C does in a terminal. (`return` from a trap would
      // do it too, but leaves bash's job table broken: `jobs` lists every later command.)
      `trap '__nt_int=1; break 999 2>/dev/null' INT`,
      `__nt_end() { local rc=$1; [ -z "$__nt_int" ] || rc=130; printf '${marker} %d\\036' "$rc"; printf '${marker} 0\\036' >&2; }`,
      `cd /root 2>/dev/null`,
      '',
    ].join('\n'),
    commandLine: (quoted) => `__nt_int=; for __nt_once in 1; do eval ${quoted} </dev/null; done; __nt_end $?\n`,
    scanner() {
      let carry = '';
      return (chunk) => {
        let text = carry + chunk;
        carry = '';
        const parts: FramedPart[] = [];
        for (let m = markerRe.exec(text); m; m = markerRe.exec(text)) {
          if (m.index > 0) parts.push({ kind: 'text', text: text.slice(0, m.index) });
          parts.push({ kind: 'end', exitCode: Number(m[1]) });
          text = text.slice(m.index + m[0].length);
        }
        // keep a tail that could be the start of a marker split across chunks
        const partial = text.lastIndexOf('\u001e');
        if (partial >= 0 && text.length - partial < marker.length + 8) {
          carry = text.slice(partial);
          text = text.slice(0, partial);
        }
        if (text) parts.push({ kind: 'text', text });
        return parts;
      };
    },
  };
}
