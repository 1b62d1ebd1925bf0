// How a job's output comes back from inside the sandbox: over the pipe of the bash that ran it,
// never through a file the tutor opens (a path under /proc/INIT/root is the sandbox's to replace
// with a symlink to a host file). The job writes into files inside; the bash that ran it reads them
// back with builtins (mapfile: buffered, no process) and writes them to its stdout as frames:
//
//   \x1eo LEN\n<LEN bytes of stdout>   \x1ee LEN\n<LEN bytes of stderr>   \x1e<anything else>\n
//
// A NUL byte in the output travels as a frame of its own (bash strings cannot hold one); a NUL at
// the very end of a file is lost. The reader keeps the last `maxKept` bytes of each stream, and
// treats anything that is not a frame as a broken stream (something inside wrote into the pipe).

/** Bash: `__nt_send o|e FILE` writes FILE as frames. Lengths are bytes only under LC_ALL=C, which
 *  the caller sets around it. */
export const SEND_FRAMES_FN =
  `__nt_send() { local __nt_a __nt_i; mapfile -d '' __nt_a <"$2" 2>/dev/null || return 0; ` +
  `for ((__nt_i = 0; __nt_i < \${#__nt_a[@]}; __nt_i++)); do ((__nt_i)) && printf '\\036%s 1\\n\\0' "$1"; ` +
  `printf '\\036%s %d\\n%s' "$1" "\${#__nt_a[__nt_i]}" "\${__nt_a[__nt_i]}"; done; }`;

/** The longest header line a well-behaved sender writes (a `done ID STATUS` line). */
const MAX_HEADER = 256;

/** The last `max` bytes of what was pushed. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.max) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.max)).toString('utf8');
  }
}

export interface FrameHandlers {
  /** Payload bytes of a stdout (`o`) or stderr (`e`) frame, in pieces as they arrive. */
  onData(stream: 'o' | 'e', chunk: Buffer): void;
  /** Any other header line, without its leading \x1e. */
  onLine(line: string): void;
  /** The stream is not frames: the caller must stop trusting it. Called once. */
  onGarbage(): void;
}

/** A push parser for frames. */
export function createFrameReader(h: FrameHandlers): (data: Buffer) => void {
  let header = Buffer.alloc(0);
  let payload: { stream: 'o' | 'e'; left: number } | undefined;
  let dead = false;
  const fail = () => {
    dead = true;
    h.onGarbage();
  };
  return (data: Buffer) => {
    let rest = data;
    while (rest.length > 0 && !dead) {
      if (payload) {
        const take = Math.min(payload.left, rest.length);
        h.onData(payload.stream, rest.subarray(0, take));
        payload.left -= take;
        rest = rest.subarray(take);
        if (payload.left === 0) payload = undefined;
        continue;
      }
      const nl = rest.indexOf(10);
      if (nl < 0) {
        header = Buffer.concat([header, rest]);
        if (header.length > MAX_HEADER) fail();
        return;
      }
      const line = Buffer.concat([header, rest.subarray(0, nl)]).toString('latin1');
      header = Buffer.alloc(0);
      rest = rest.subarray(nl + 1);
      if (line.length > MAX_HEADER || line[0] !== '\x1e') return fail();
      const m = /^\x1e([oe]) (\d{1,12})$/.exec(line);
      if (!m) h.onLine(line.slice(1));
      else if (Number(m[2]) > 0) payload = { stream: m[1] as 'o' | 'e', left: Number(m[2]) };
    }
  };
}
