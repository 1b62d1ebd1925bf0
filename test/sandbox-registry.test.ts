// The announcement `shell --attach` trusts: found when it is ours and names a live netns-tutor
// init; ignored when anyone else could have written it, or when it names some other process.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceSandbox, findAnnouncedSandbox, runtimeDir, withdrawSandbox } from '../src/world/sandbox/registry.js';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';

const saved = process.env.XDG_RUNTIME_DIR;
const dir = mkdtempSync(join(tmpdir(), 'netns-tutor-registry-'));
let sandbox: Sandbox;

beforeAll(async () => {
  process.env.XDG_RUNTIME_DIR = dir;
  sandbox = await createSandbox({ internet: false });
});
afterAll(async () => {
  await sandbox.dispose();
  if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
  else process.env.XDG_RUNTIME_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox registry', () => {
  it('finds the announced sandbox, and forgets it when withdrawn', () => {
    expect(announceSandbox({ id: sandbox.id, mode: sandbox.mode, initPid: sandbox.initPid, ownerPid: process.pid })).toBe(true);
    expect(findAnnouncedSandbox()?.id).toBe(sandbox.id);
    withdrawSandbox(sandbox.id);
    expect(findAnnouncedSandbox()).toBeUndefined();
  });

  it('ignores a file others could have written', () => {
    announceSandbox({ id: sandbox.id, mode: sandbox.mode, initPid: sandbox.initPid, ownerPid: process.pid });
    chmodSync(join(runtimeDir(), 'tutor-sandbox.json'), 0o666);
    expect(findAnnouncedSandbox()).toBeUndefined();
    chmodSync(join(runtimeDir(), 'tutor-sandbox.json'), 0o600);
    expect(findAnnouncedSandbox()?.id).toBe(sandbox.id);
  });

  it('ignores an announcement naming a process that is not a netns-tutor init', () => {
    writeFileSync(join(runtimeDir(), 'tutor-sandbox.json'), JSON.stringify({ id: 'x', mode: 'userns', initPid: process.pid, ownerPid: process.pid }), { mode: 0o600 });
    expect(findAnnouncedSandbox()).toBeUndefined();
  });
});
