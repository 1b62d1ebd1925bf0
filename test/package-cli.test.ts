// The command line's conventions, on the built CLI: `help COMMAND`, exit codes (0 pass, 1 fail,
// 2 usage error), --json errors as JSON, FORCE_COLOR/NO_COLOR, a read-only `lessons`, per-course
// progress (--lessons DIR, NETNS_TUTOR_LESSONS), clear progress-file errors, and bash completion.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressFileName } from '../src/app/progress/progress-store.js';
import { NOBODY, prepareUnprivilegedCli, runCli, type UnprivilegedCli } from './helpers/unprivileged.js';

const root = resolve(import.meta.dirname, '..');
const tiny = join(root, 'test/fixtures/lessons-tiny');
let home: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI with a fresh HOME (no XDG_* set: the defaults under HOME are what is tested). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { PATH: process.env.PATH!, HOME: home, LANG: 'C.UTF-8' };
  return new Promise((done) => {
    execFile(process.execPath, ['bin/netns-tutor.js', ...args], { cwd: root, env: { ...base, ...env } }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'netns-tutor-cli-home-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('help and exit codes', () => {
  it('`help COMMAND` prints that command\'s help and exits 0', async () => {
    const r = await cli(['help', 'lessons']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: netns-tutor lessons \[options\]/);
  });

  it('usage errors exit 2; a failure to do the work exits 1', async () => {
    expect((await cli(['--no-such-option'])).code).toBe(2);
    expect((await cli(['no-such-command'])).code).toBe(2);
    expect((await cli(['check'])).code).toBe(2);
    expect((await cli(['check', 'no-such-lesson', '1'])).code).toBe(2);
    expect((await cli(['completion', 'fish'])).code).toBe(2);
    expect((await cli(['lessons', '--lessons', join(home, 'no-such-course')])).code).toBe(1);
  });

  it('--json errors are JSON on stdout, usage errors and others alike', async () => {
    const usage = await cli(['check', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('');
    expect(JSON.parse(usage.stdout)).toEqual({ error: { kind: 'usage', message: "missing required argument 'lesson'", exitCode: 2, next: expect.any(String) } });
    const abort = await cli(['lessons', '--json', '--lessons', join(home, 'no-such-course')]);
    expect(abort.code).toBe(1);
    expect(JSON.parse(abort.stdout).error).toMatchObject({ kind: 'abort', message: expect.stringMatching(/^cannot read the course folder .*no-such-course: ENOENT/), exitCode: 1 });
  });
});

describe('colour', () => {
  const bold = '\x1b[1m';
  it('FORCE_COLOR colours even into a pipe; NO_COLOR turns colour off; FORCE_COLOR wins over NO_COLOR', async () => {
    expect((await cli(['lessons'])).stdout).not.toContain(bold);
    expect((await cli(['lessons'], { FORCE_COLOR: '1' })).stdout).toContain(bold);
    expect((await cli(['lessons'], { FORCE_COLOR: '0' })).stdout).not.toContain(bold);
    expect((await cli(['lessons'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).toContain(bold);
  });
});

describe('progress per course', () => {
  it('`lessons` only reads: it creates no config or state directory', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'netns-tutor-cli-fresh-'));
    try {
      const r = await cli(['lessons'], { HOME: fresh });
      expect(r.code, r.stderr).toBe(0);
      // the parsed-course cache (~/.cache/netns-tutor, XDG_CACHE_HOME) may be written: a cache is
      // not the learner's state, and it makes the next `lessons` and the tutor start faster
      expect(readdirSync(fresh).filter((name) => name !== '.cache')).toEqual([]);
      expect(readdirSync(join(fresh, '.cache'))).toEqual(['netns-tutor']);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('`lessons --lessons DIR` and NETNS_TUTOR_LESSONS show that course\'s own position', async () => {
    const state = join(home, '.local', 'state', 'netns-tutor');
    const write = (name: string, stepId: string, lessonId: string) => {
      mkdirSync(join(state, name, '..'), { recursive: true });
      writeFileSync(join(state, name), JSON.stringify({ version: 1, position: { lessonId, stepId }, steps: {} }));
    };
    write('progress.json', 'where-you-are', 'host');
    write(progressFileName(tiny), 'use-the-setup', 'next');
    expect((await cli(['lessons'])).stdout).toMatch(/You are at host \/ where-you-are/);
    const custom = await cli(['lessons', '--lessons', tiny]);
    expect(custom.stdout).toMatch(/You are at next \/ use-the-setup/);
    const byEnv = await cli(['lessons', '--json'], { NETNS_TUTOR_LESSONS: tiny });
    expect(JSON.parse(byEnv.stdout)).toMatchObject({ dir: tiny, position: { lessonId: 'next', stepId: 'use-the-setup' }, progressFile: join(state, progressFileName(tiny)) });
  });

  it('moves progress from the old config location to the state dir (the tutor does; lessons reads it where it is)', async () => {
    const old = mkdtempSync(join(tmpdir(), 'netns-tutor-cli-old-'));
    try {
      mkdirSync(join(old, '.config', 'netns-tutor'), { recursive: true });
      writeFileSync(join(old, '.config', 'netns-tutor', 'progress.json'), JSON.stringify({ version: 1, position: { lessonId: 'nat', stepId: 'x' }, steps: {} }));
      const r = await cli(['lessons', '--json'], { HOME: old });
      expect(JSON.parse(r.stdout).position).toEqual({ lessonId: 'nat', stepId: 'x' });
      expect(existsSync(join(old, '.local'))).toBe(false);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

  it('a progress path that is a directory is a clear error, not a stack trace', async () => {
    const r = await cli(['lessons', '--progress', home]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot use ${home} for progress: it is a directory.\n\nPoint --progress (or NETNS_TUTOR_PROGRESS) at a file you can read and write.\n`);
  });
});

describe('an unreadable progress file, unprivileged', () => {
  let un: UnprivilegedCli;
  let dir: string;
  beforeAll(() => {
    un = prepareUnprivilegedCli();
    dir = mkdtempSync(join(tmpdir(), 'netns-tutor-cli-unreadable-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => {
    un.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says permission denied, without a stack', async () => {
    const file = join(dir, 'progress.json');
    writeFileSync(file, '{}', { mode: 0o600 });
    // as root, the file is made someone else's; as a user, unreadable by its owner
    if (un.uid !== NOBODY) chmodSync(file, 0o000);
    const r = await runCli(un, ['lessons', '--progress', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot use .*progress\.json for progress: permission denied\./);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('completion', () => {
  /** What bash offers for the words typed so far (the last one being completed). */
  function complete(shell: 'bash', words: string[]): string[] {
    const script = spawnSync(process.execPath, ['bin/netns-tutor.js', 'completion', shell], { cwd: root, encoding: 'utf8' }).stdout;
    // `netns-tutor` on PATH, for the lesson ids the script asks for
    const bin = join(home, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'netns-tutor'), `#!/bin/sh\nexec ${process.execPath} ${join(root, 'bin/netns-tutor.js')} "$@"\n`, { mode: 0o755 });
    const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _netns_tutor; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', program], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, HOME: home } });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  it('bash completes commands, options and lesson ids', () => {
    expect(complete('bash', ['netns-tutor', 'd'])).toEqual(['diagnose', 'doctor', 'drill']);
    expect(complete('bash', ['netns-tutor', 'lessons', '--'])).toEqual(['--help', '--json', '--lessons', '--progress']);
    expect(complete('bash', ['netns-tutor', 'check', 'ro'])).toEqual(['routing']);
    expect(complete('bash', ['netns-tutor', 'test-lessons', '--only', 'n'])).toEqual(['namespaces', 'nat', 'network-policy', 'nftables', 'nodeport']);
    expect(complete('bash', ['netns-tutor', 'help', 'sh'])).toEqual(['shell']);
  });

  it('the zsh script loads bash completion and defines the same function', () => {
    const zsh = spawnSync(process.execPath, ['bin/netns-tutor.js', 'completion', 'zsh'], { cwd: root, encoding: 'utf8' }).stdout;
    expect(zsh).toMatch(/^#compdef netns-tutor\n/);
    expect(zsh).toContain('bashcompinit');
    expect(spawnSync('bash', ['-n'], { input: zsh.split('\n').filter((l) => !l.startsWith('autoload')).join('\n') }).status).toBe(0);
  });
});
