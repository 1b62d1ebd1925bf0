// The bash we start never reads the machine's rc files (Debian's bash would, for a socket stdin
// and SHLVL < 2: under sudo, cron or systemd), so nothing of the host's shell set-up runs.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalRunner } from '../src/world/exec/runner.js';

const home = mkdtempSync(join(tmpdir(), 'netns-tutor-bashrc-'));
const marker = join(home, 'bashrc-ran');
writeFileSync(join(home, '.bashrc'), `touch ${marker}\n`);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the runner and ~/.bashrc', () => {
  it('a control: plain `bash -c` under these conditions does read it', async () => {
    const r = await createLocalRunner().exec(['bash', '-c', 'true'], { env: { HOME: home, SHLVL: '0' } });
    expect(r.exitCode).toBe(0);
    // Debian's and Ubuntu's bash (SSH_SOURCE_BASHRC) read it; other builds may not
    if (existsSync('/etc/debian_version')) expect(existsSync(marker)).toBe(true);
    rmSync(marker, { force: true });
  });

  it('run() does not read it', async () => {
    const r = await createLocalRunner().run('true', { env: { HOME: home, SHLVL: '0' } });
    expect(r.exitCode).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});
