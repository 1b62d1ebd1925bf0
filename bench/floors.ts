// The floors: what the machine itself takes for the same work, measured in the same run.
import { spawn } from 'node:child_process';

/** Spawn argv and resolve when it exits (ms). */
export function timeSpawn(argv: readonly string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'] });
    if (input !== undefined) child.stdin!.end(input);
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - t));
  });
}

/** A plain bash coprocess answering `true` with a marker: the floor for the persistent shell. */
export async function plainBashRoundTrip(n: number): Promise<number[]> {
  const child = spawn('bash', ['--noprofile', '--norc'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const times: number[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    if (buffer.includes('@@done\n')) {
      buffer = '';
      waiting?.();
    }
  });
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await new Promise<void>((r) => {
      waiting = r;
      child.stdin!.write("true; printf '@@done\\n'\n");
    });
    times.push(performance.now() - t);
  }
  child.stdin!.end();
  return times;
}
