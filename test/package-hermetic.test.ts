// The suite is hermetic: every test file has its own HOME and XDG_* dirs (test/helpers/hermetic-env.ts),
// so progress the user left in ~/.config or ~/.local/state (after `npm start`) cannot change a
// test's outcome. Proven by running this file again under vitest with a HOME full of planted progress.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { openProgress } from '../src/app/progress/progress-store.js';

const root = resolve(import.meta.dirname, '..');
const planted = process.env.NETNS_TUTOR_TEST_PLANTED_HOME;

it('each test file has its own HOME and XDG dirs, not the user\'s', () => {
  expect(homedir()).not.toBe(userInfo().homedir);
  expect(homedir()).toMatch(/netns-tutor-test-home-/);
  for (const name of ['XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR']) {
    expect(process.env[name]?.startsWith(`${homedir()}/`), name).toBe(true);
  }
  if (planted) expect(homedir()).not.toBe(planted);
  expect(process.env.NETNS_TUTOR_PROGRESS).toBeUndefined();
  const { store } = openProgress();
  expect(store.path.startsWith(homedir())).toBe(true);
  expect(store.read()).toEqual({ version: 1, steps: {} });
});

it.skipIf(planted !== undefined)('a progress file planted in ~/.config and ~/.local/state does not reach the tests', () => {
  const home = mkdtempSync(join(tmpdir(), 'netns-tutor-planted-home-'));
  try {
    const progress = JSON.stringify({ version: 1, position: { lessonId: 'nat', stepId: 'planted' }, steps: { 'host/where-you-are': { lessonId: 'host', stepId: 'where-you-are', outcome: 'passed', at: '' } } });
    for (const dir of [join(home, '.config', 'netns-tutor'), join(home, '.local', 'state', 'netns-tutor')]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'progress.json'), progress);
    }
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.local', 'state'), NETNS_TUTOR_PROGRESS: join(home, '.config', 'netns-tutor', 'progress.json'), NETNS_TUTOR_TEST_PLANTED_HOME: home };
    // the planted progress is what the tutor would see with this environment...
    expect(openProgress({ env }).store.read().position?.stepId).toBe('planted');
    // ...and not what a test sees
    const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/package-hermetic.test.ts'], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 passed/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
