// The npm package as a user gets it: `npm pack` (which builds, on prepack), the tarball installed
// into a temp prefix with no registry at all (every runtime dependency is bundled into dist/), and
// the installed command run from there: doctor, lessons, shell -c, as root and as nobody.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOBODY } from './helpers/unprivileged.js';

const root = resolve(import.meta.dirname, '..');
const asNobody = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

let work: string;
let prefix: string;
let tarball: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the installed `netns-tutor` by its name on PATH, as root or nobody, with a bare environment. */
function installed(args: string[], user: 'root' | 'nobody'): Promise<Run> {
  const env = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:${SYSTEM_PATH}`, HOME: user === 'nobody' ? '/tmp' : process.env.HOME!, LANG: 'C.UTF-8' };
  const argv = user === 'nobody' ? [...asNobody, 'netns-tutor', ...args] : ['netns-tutor', ...args];
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'netns-tutor-package-'));
  chmodSync(work, 0o755);
  prefix = join(work, 'prefix');
  // npm pack runs prepack (the build) and lists the files it packed
  const pack = spawnSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: root, encoding: 'utf8' });
  expect(pack.status, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed!.filename);
  const files = packed!.files.map((f) => f.path);
  expect(files).toContain('dist/cli.js');
  expect(files).toContain('LICENSE');
  // what does not run is not shipped
  expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  // --offline: the install may take nothing from a registry, so it must need nothing
  const install = spawnSync('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: work, encoding: 'utf8' });
  expect(install.status, install.stderr).toBe(0);
  spawnSync('chmod', ['-R', 'a+rX', work]);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the installed package', () => {
  it('installs nothing but itself: every runtime dependency is in dist/', () => {
    const modules = join(prefix, 'lib', 'node_modules');
    expect(readdirSync(modules)).toEqual(['netns-tutor']);
    expect(readdirSync(join(modules, 'netns-tutor')).sort()).toEqual(['LICENSE', 'README.md', 'assets', 'bin', 'dist', 'lessons', 'package.json']);
  });

  it('has no way to reach react-devtools-core: Ink\'s DEV=true mode is taken out at build time', () => {
    const dist = join(prefix, 'lib', 'node_modules', 'netns-tutor', 'dist');
    const r = spawnSync('grep', ['-rl', 'react-devtools-core', dist], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });

  for (const user of ['root', 'nobody'] as const) {
    it(`runs doctor, lessons and shell -c as ${user}`, async () => {
      const version = await installed(['--version'], user);
      expect(version.stdout.trim()).toBe(JSON.parse(spawnSync('npm', ['pkg', 'get', 'version'], { cwd: root, encoding: 'utf8' }).stdout));

      const doctor = await installed(['doctor', '--json'], user);
      expect(doctor.code, doctor.stderr).toBe(0);
      expect(JSON.parse(doctor.stdout).ok).toBe(true);

      const lessons = await installed(['lessons', '--json'], user);
      expect(lessons.code, lessons.stderr).toBe(0);
      const course = JSON.parse(lessons.stdout) as { dir: string; lessons: { id: string }[] };
      expect(course.dir).toBe(join(prefix, 'lib', 'node_modules', 'netns-tutor', 'lessons'));
      expect(course.lessons[0]?.id).toBe('host');

      const shell = await installed(['shell', '-c', 'ip -br link; id -u'], user);
      expect(shell.code, shell.stderr).toBe(0);
      expect(shell.stdout).toMatch(/^lo\s+UNKNOWN\s/m);
      expect(shell.stdout.trim().split('\n').at(-1)).toBe('0');
    });
  }

  it('a usage error exits 2, and is JSON under --json', async () => {
    const r = await installed(['check', '--json'], 'nobody');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { kind: 'usage', message: "missing required argument 'lesson'" } });
  });
});
