// Running the built CLI as an unprivileged user. As root: a copy of what the CLI needs (bin/, the
// self-contained dist/, assets/, lessons/, package.json) in a fresh temp dir readable by all (the
// checkout may sit under /root), run as nobody with setpriv. Otherwise: as the current user, from
// the checkout itself.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const NOBODY = 65534;
const projectRoot = resolve(import.meta.dirname, '../..');
const asNobody = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];

export interface UnprivilegedCli {
  /** uid the CLI runs as. */
  uid: number;
  /** argv prefix: [..., node, cli]. */
  argv: string[];
  cwd: string;
  dispose(): void;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ensureBuilt(): void {
  if (existsSync(join(projectRoot, 'dist/cli.js'))) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stderr}`);
}

function nobodyCanRun(node: string): boolean {
  return spawnSync(asNobody[0]!, [...asNobody.slice(1), node, '--version'], { encoding: 'utf8' }).status === 0;
}

export function prepareUnprivilegedCli(): UnprivilegedCli {
  ensureBuilt();
  if (process.getuid?.() !== 0) {
    return { uid: process.getuid?.() ?? -1, argv: [process.execPath, join(projectRoot, 'bin/netns-tutor.js')], cwd: projectRoot, dispose() {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'netns-tutor-nobody-'));
  chmodSync(dir, 0o755);
  for (const part of ['bin', 'dist', 'assets', 'lessons', 'package.json']) {
    cpSync(join(projectRoot, part), join(dir, part), { recursive: true });
  }
  // node itself may live where nobody cannot reach it (e.g. under /root/.nvm)
  let node = process.execPath;
  if (!nobodyCanRun(node)) {
    node = join(dir, 'node');
    cpSync(process.execPath, node);
    chmodSync(node, 0o755);
  }
  spawnSync('chmod', ['-R', 'a+rX', dir]);
  return {
    uid: NOBODY,
    argv: [...asNobody, node, join(dir, 'bin/netns-tutor.js')],
    cwd: dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the CLI with `args` and a minimal environment, stdin closed. */
export function runCli(cli: UnprivilegedCli, args: readonly string[]): Promise<CliResult> {
  return new Promise((done) => {
    const [file, ...rest] = cli.argv;
    const child = spawn(file!, [...rest, ...args], {
      cwd: cli.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: cli.uid === NOBODY ? '/tmp' : (process.env.HOME ?? '/tmp'), LANG: 'C.UTF-8' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
