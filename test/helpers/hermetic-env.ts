// Every test file runs with its own HOME and XDG_* directories (a fresh temp dir, removed after
// the file), so no test reads or writes the user's real ~/.config, ~/.local/state or ~/.cache,
// and a developer's NETNS_TUTOR_* settings do not reach the tests. Loaded by vitest.config.ts
// (setupFiles) before each test file imports anything.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'netns-tutor-test-home-'));
// others (a CLI run as nobody) may need to pass through; what is inside stays private
chmodSync(home, 0o755);
const dirs = {
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_STATE_HOME: join(home, '.local', 'state'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_DATA_HOME: join(home, '.local', 'share'),
  XDG_RUNTIME_DIR: join(home, 'run'),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o700 });
Object.assign(process.env, dirs);
for (const name of ['NETNS_TUTOR_PROGRESS', 'NETNS_TUTOR_LESSONS']) delete process.env[name];

afterAll(() => rmSync(home, { recursive: true, force: true }));
