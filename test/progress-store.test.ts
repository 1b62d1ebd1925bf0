// The progress store on a real temp directory: save, resume, corrupt files, fallback location.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortError } from '../src/domain/errors.js';
import { completedSteps, openProgress, progressFileName } from '../src/app/progress/progress-store.js';
import { mergeProgress, readProgressData } from '../src/app/progress/progress-data.js';
import { lessonsDir } from '../src/world/sandbox/paths.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netns-tutor-progress-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('progress store', () => {
  it('records steps and the position, and a second open reads them back', async () => {
    const file = join(dir, 'p.json');
    const { store, notices } = openProgress({ file });
    expect(notices).toEqual([]);
    void store.recordStep('bridge', 'create', 'passed', new Date('2026-01-02T03:04:05Z'));
    void store.recordStep('bridge', 'up', 'skipped');
    await store.savePosition('bridge', 'address');
    const again = openProgress({ file }).store.read();
    expect(again.position).toEqual({ lessonId: 'bridge', stepId: 'address' });
    expect(again.steps['bridge/create']).toEqual({ lessonId: 'bridge', stepId: 'create', outcome: 'passed', at: '2026-01-02T03:04:05.000Z' });
    expect(completedSteps(again)).toEqual({ 'bridge/create': 'passed', 'bridge/up': 'skipped' });
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('never turns a pass into a skip', async () => {
    const file = join(dir, 'p.json');
    const { store } = openProgress({ file });
    void store.recordStep('a', 'b', 'passed');
    await store.recordStep('a', 'b', 'skipped');
    expect(store.read().steps['a/b']?.outcome).toBe('passed');
    expect(openProgress({ file }).store.read().steps['a/b']?.outcome).toBe('passed');
  });

  it('takes NETNS_TUTOR_PROGRESS when no file is given', () => {
    const file = join(dir, 'from-env.json');
    const { store } = openProgress({ env: { NETNS_TUTOR_PROGRESS: file } });
    expect(store.path).toBe(file);
  });

  it('backs up a file that is not JSON, says so, and starts fresh', async () => {
    const file = join(dir, 'p.json');
    writeFileSync(file, '{ this is not json');
    const { store, notices } = openProgress({ file });
    expect(notices[0]?.text).toMatch(/was not valid JSON\. It was moved to .*p\.json\.corrupt-/);
    expect(store.read().steps).toEqual({});
    const backups = readdirSync(dir).filter((f) => f.startsWith('p.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe('{ this is not json');
    await store.savePosition('x', 'y');
    expect(openProgress({ file }).store.read().position).toEqual({ lessonId: 'x', stepId: 'y' });
  });

  it('backs up JSON that is not progress data', () => {
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ version: 1, steps: { 'a/b': { outcome: 'maybe' } } }));
    const { notices } = openProgress({ file });
    expect(notices[0]?.text).toMatch(/could not be read \(the record "a\/b" is not a step outcome\)/);
  });

  it('falls back to a private temp dir when the state dir cannot be written', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      writeFileSync(join(dir, 'not-a-dir'), '');
      const { store, notices } = openProgress({ env: { XDG_STATE_HOME: join(dir, 'not-a-dir', 'state'), XDG_CONFIG_HOME: join(dir, 'config') } });
      expect(store.path).toBe(join(dir, `netns-tutor-${process.getuid!()}`, 'progress.json'));
      expect(notices.at(-1)?.text).toMatch(/cannot be written .* NETNS_TUTOR_PROGRESS/);
      await store.savePosition('a', 'b');
      expect(openProgress({ file: store.path }).store.read().position).toEqual({ lessonId: 'a', stepId: 'b' });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('says clearly when an explicit file cannot be used', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => openProgress({ file: join(dir, 'file', 'p.json') })).toThrow(/cannot use .* for progress/);
  });

  it('says clearly, without a stack, when the progress path is a directory', async () => {
    mkdirSync(join(dir, 'p.json'));
    const open = () => openProgress({ file: join(dir, 'p.json') });
    expect(open).toThrow(AbortError);
    expect(open).toThrow(`cannot use ${join(dir, 'p.json')} for progress: it is a directory.`);
  });

  it('two tutors of the same user lose none of each other\'s steps', async () => {
    const file = join(dir, 'p.json');
    const one = openProgress({ file }).store;
    const two = openProgress({ file }).store;
    // interleaved, and many at once: each write merges with what the other wrote
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).recordStep('l', `s${i}`, 'passed')).concat(one.savePosition('l', 's19')),
    );
    const saved = openProgress({ file }).store.read();
    expect(Object.keys(saved.steps).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `l/s${i}`).sort());
    expect(saved.position).toEqual({ lessonId: 'l', stepId: 's19' });
    // no lock or temp file is left behind
    expect(readdirSync(dir)).toEqual(['p.json']);
  });

  it('two tutor processes writing at once lose nothing (a real lock between processes)', async () => {
    const file = join(dir, 'p.json');
    const writer = (name: string) =>
      new Promise<number | null>((done) => {
        const code = `const { openProgress } = await import(${JSON.stringify(resolve('src/app/progress/progress-store.ts'))});
          const { store } = openProgress({ file: ${JSON.stringify(file)} });
          for (let i = 0; i < 25; i++) await store.recordStep('l', '${name}' + i, 'passed');`;
        spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'inherit' }).on('close', done);
      });
    expect(await Promise.all([writer('a'), writer('b')])).toEqual([0, 0]);
    expect(Object.keys(openProgress({ file }).store.read().steps)).toHaveLength(50);
  });

  it('a lock left by a tutor that died does not stop the next save', async () => {
    const file = join(dir, 'p.json');
    writeFileSync(`${file}.lock`, '999999999');
    await openProgress({ file }).store.savePosition('a', 'b');
    expect(openProgress({ file }).store.read().position).toEqual({ lessonId: 'a', stepId: 'b' });
  });
});

describe('where progress lives', () => {
  const env = () => ({ XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') });

  it('is $XDG_STATE_HOME/netns-tutor/progress.json for the built-in course', () => {
    expect(openProgress({ env: env() }).store.path).toBe(join(dir, 'state', 'netns-tutor', 'progress.json'));
  });

  it('moves a file from the old config location, once, and says so', () => {
    mkdirSync(join(dir, 'config', 'netns-tutor'), { recursive: true });
    writeFileSync(join(dir, 'config', 'netns-tutor', 'progress.json'), JSON.stringify({ version: 1, position: { lessonId: 'nat', stepId: 'two' }, steps: {} }));
    const { store, notices } = openProgress({ env: env() });
    expect(store.read().position).toEqual({ lessonId: 'nat', stepId: 'two' });
    expect(notices[0]?.text).toMatch(/progress moved from .*config.* to .*state/);
    expect(existsSync(join(dir, 'config', 'netns-tutor', 'progress.json'))).toBe(false);
    expect(openProgress({ env: env() }).notices).toEqual([]);
  });

  it('read-only (netns-tutor lessons) creates no directory and moves no file', () => {
    mkdirSync(join(dir, 'config', 'netns-tutor'), { recursive: true });
    writeFileSync(join(dir, 'config', 'netns-tutor', 'progress.json'), JSON.stringify({ version: 1, position: { lessonId: 'nat', stepId: 'two' }, steps: {} }));
    expect(openProgress({ env: env(), readOnly: true }).store.read().position).toEqual({ lessonId: 'nat', stepId: 'two' });
    expect(existsSync(join(dir, 'state'))).toBe(false);
    expect(openProgress({ env: env(), readOnly: true, course: join(dir, 'other') }).store.read().steps).toEqual({});
    expect(existsSync(join(dir, 'state'))).toBe(false);
  });

  it('read-only leaves a corrupt file where it is', () => {
    const file = join(dir, 'p.json');
    writeFileSync(file, 'nonsense');
    expect(openProgress({ file, readOnly: true }).notices[0]?.text).toMatch(/not valid JSON\. It was left as it is/);
    expect(readFileSync(file, 'utf8')).toBe('nonsense');
  });

  it('gives a custom course its own file, named by its folder, and the built-in course the usual one', async () => {
    const custom = join(dir, 'my course');
    mkdirSync(custom);
    const name = progressFileName(custom);
    expect(name).toMatch(/^courses\/my-course-[0-9a-f]{12}\.json$/);
    expect(progressFileName(join(dir, 'other', 'my course'))).not.toBe(name);
    expect(progressFileName(lessonsDir)).toBe('progress.json');
    const { store } = openProgress({ env: env(), course: custom });
    await store.recordStep('x', 'y', 'passed');
    expect(openProgress({ env: env() }).store.read().steps).toEqual({});
    expect(openProgress({ env: env(), course: custom }).store.read().steps['x/y']?.outcome).toBe('passed');
  });
});

describe('progress data', () => {
  it('accepts an empty object and rejects other versions', () => {
    expect(readProgressData({})).toEqual({ data: { version: 1, steps: {} } });
    expect(readProgressData({ version: 2 })).toEqual({ problem: 'it has version 2, expected 1' });
    expect(readProgressData([])).toEqual({ problem: 'it is not a JSON object' });
  });

  it('merges: a pass beats a skip, else the later record; the position is the newer save\'s', () => {
    const rec = (outcome: 'passed' | 'skipped', at: string) => ({ lessonId: 'l', stepId: 's', outcome, at });
    const disk = { version: 1 as const, position: { lessonId: 'l', stepId: 'a' }, steps: { 'l/s': rec('passed', '2026-01-01'), 'l/t': rec('skipped', '2026-01-01') } };
    const ours = { version: 1 as const, steps: { 'l/s': rec('skipped', '2026-02-01'), 'l/t': rec('skipped', '2026-02-01') } };
    const merged = mergeProgress(disk, ours);
    expect(merged.steps['l/s']).toEqual(rec('passed', '2026-01-01'));
    expect(merged.steps['l/t']).toEqual(rec('skipped', '2026-02-01'));
    expect(merged.position).toEqual({ lessonId: 'l', stepId: 'a' });
    expect(mergeProgress(disk, { ...ours, position: { lessonId: 'l', stepId: 'b' } }).position).toEqual({ lessonId: 'l', stepId: 'b' });
  });
});
