// diagnose on the real machine: it reads state and sends nothing unless asked.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/netns-tutor.js', import.meta.url));

describe('netns-tutor diagnose outside a sandbox', () => {
  it('walks the state without probing and says so', () => {
    const env = { ...process.env };
    delete env.NETNS_TUTOR_SANDBOX;
    let out = '';
    try {
      out = execFileSync(process.execPath, [bin, 'diagnose', 'host', '203.0.113.77', '--json'], { env, encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? '');
    }
    const d = JSON.parse(out) as { probe?: unknown; notes: string[] };
    expect(d.probe).toBeUndefined();
    expect(d.notes.join('\n')).toMatch(/No probe was sent/);
  });
});
