// The progress store on a real temp directory: save, resume, corrupt files, fallback location.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completedSteps, openProgress } from '../src/progress/progress-store.js';
import { readProgressData } from '../src/progress/progress-data.js';

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

  it('falls back to a private temp dir when the config dir cannot be written', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      writeFileSync(join(dir, 'not-a-dir'), '');
      const { store, notices } = openProgress({ env: { XDG_CONFIG_HOME: join(dir, 'not-a-dir', 'config') } });
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
});

describe('progress data', () => {
  it('accepts an empty object and rejects other versions', () => {
    expect(readProgressData({})).toEqual({ data: { version: 1, steps: {} } });
    expect(readProgressData({ version: 2 })).toEqual({ problem: 'it has version 2, expected 1' });
    expect(readProgressData([])).toEqual({ problem: 'it is not a JSON object' });
  });
});
