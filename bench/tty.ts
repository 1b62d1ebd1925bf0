// Launch -> first frame of the tutor in a real pseudo-terminal (util-linux `script`), and its peak
// memory, each beside a floor: `node -e 0` for time, a minimal Ink "hello" app for memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendantsOf } from '../src/exec/process-tree.js';
import type { Row } from './run.js';
import { summarise } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface PtyRun {
  ms: number;
  peakKb: number;
}

/** Runs `command` in a 120x40 pty; resolves when `waitFor` appears (or the process exits),
 *  then samples the node process's peak RSS (VmHWM) after `settleMs` and kills it. */
function runInPty(command: string, waitFor: RegExp | undefined, env: Record<string, string>, settleMs = 0): Promise<PtyRun> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'false', TERM: 'xterm-256color', ...env },
      detached: true,
    });
    let out = '';
    let ms: number | undefined;
    const finish = () => {
      const node = descendantsOf(child.pid!).find((p) => {
        try {
          return readFileSync(`/proc/${p}/comm`, 'utf8').trim().startsWith('node');
        } catch {
          return false;
        }
      });
      let peakKb = 0;
      if (node) {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${node}/status`, 'utf8'));
        peakKb = Number(m?.[1] ?? 0);
      }
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
      resolve({ ms: ms ?? performance.now() - t, peakKb });
    };
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (ms === undefined && waitFor?.test(out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''))) {
        ms = performance.now() - t;
        setTimeout(finish, settleMs);
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      if (ms === undefined) {
        ms = performance.now() - t;
        if (waitFor) reject(new Error(`pty run ended before ${waitFor} appeared:\n${out.slice(-2000)}`));
        else resolve({ ms, peakKb: 0 });
      }
    });
    setTimeout(() => {
      if (ms === undefined) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
        reject(new Error(`timed out waiting for ${waitFor} in:\n${out.slice(-2000)}`));
      }
    }, 20_000);
  });
}

export async function measureFirstFrame(n: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'netns-tutor-bench-'));
  try {
    const tutor: PtyRun[] = [];
    for (let i = 0; i < n; i++) {
      rmSync(join(dir, 'progress.json'), { force: true });
      // a fresh learner each time (lesson 1, step 1); the parsed-course cache lives in the temp
      // dir too, so the first run is cold and the rest warm, as for a real learner
      const env = { NETNS_TUTOR_PROGRESS: join(dir, 'progress.json'), XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config') };
      tutor.push(await runInPty(`node ${join(root, 'bin/netns-tutor.js')}`, /step 1 of/i, env, i === 0 ? 3000 : 0));
    }
    const floor: PtyRun[] = [];
    for (let i = 0; i < n; i++) floor.push(await runInPty(`node -e 0`, undefined, {}));
    const hello = await runInPty(`node ${join(root, 'bench/ink-hello.mjs')}`, /hello/, {}, 3000);
    return [
      {
        figure: 'tutor launch -> first frame showing the step (pty)',
        ours: summarise(tutor.map((r) => r.ms)),
        floor: summarise(floor.map((r) => r.ms)),
        floorLabel: 'node -e 0',
        unit: 'ms',
        target: '<= 300',
      },
      {
        figure: 'tutor peak memory (RSS), 3 s after the first frame',
        ours: summarise([tutor[0]!.peakKb / 1024]),
        floor: summarise([hello.peakKb / 1024]),
        floorLabel: 'minimal Ink hello app',
        unit: 'MB',
        target: '<= 150',
      },
    ];
  } catch (e) {
    return [{ figure: 'tutor launch -> first frame showing the step (pty)', floorLabel: 'node -e 0', unit: 'ms', note: `not measured: ${(e as Error).message.split('\n')[0]}` }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
