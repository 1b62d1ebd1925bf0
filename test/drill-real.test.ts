// Drills in real sandboxes: sampled seeds (one per base) start unsolved, are solved by the
// diagnoser's fixes and, where the matrix has closed paths, are not passed by opening the
// firewall; the CLI grades a scripted answer (as nobody too) with JUnit an autograder reads, and
// fails a "flush everything" answer on the closed path; in a real terminal (tmux) `giveup` shows
// the debrief with the learner's commands. The whole run is `drill --self-test`.
import { writeFileSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTutorTerminal, type TutorTerminal } from './fixtures/tmux-tutor.js';
import { DRILL_BASES } from '../src/cli/drill.js';
import { planDrill } from '../src/domain/drill/plan-drill.js';
import { selfTestDrill } from '../src/app/drill/self-test-drills.js';
import { prepareUnprivilegedCli, runCli } from './helpers/unprivileged.js';
import { validateJunit } from './junit-xml.js';

// docker-host (a closed path), nft-router (a closed path), kube-cluster, policy-router
const SAMPLE = [7, 4, 6, 1];

describe.concurrent('drills in real sandboxes', () => {
  it('the sample covers every drill base', () => {
    expect(new Set(SAMPLE.map((s) => planDrill(s, { bases: DRILL_BASES })!.base.id))).toEqual(new Set(DRILL_BASES));
  });

  it.each(SAMPLE)('seed %i: unsolved at start, solved by the fixes, not by opening the firewall', async (seed) => {
    const r = await selfTestDrill(planDrill(seed, { bases: DRILL_BASES })!);
    expect(r.status, `${r.faults.join(', ')}: ${r.detail ?? ''}`).toBe('ok');
  });

  it('the CLI: a right answer passes (JUnit, exit 0); flushing FORWARD fails on the closed path (exit 1)', async () => {
    const cli = prepareUnprivilegedCli();
    const dir = mkdtempSync(join(tmpdir(), 'netns-tutor-drill-answers-'));
    chmodSync(dir, 0o755);
    try {
      const right = join(dir, 'right.sh');
      const flush = join(dir, 'flush.sh');
      writeFileSync(right, 'iptables -D DOCKER-USER -p tcp --dport 80 -j DROP\n', { mode: 0o644 });
      writeFileSync(flush, 'iptables -P FORWARD ACCEPT\niptables -F FORWARD\n', { mode: 0o644 });
      const [ok, bad] = await Promise.all([runCli(cli, ['drill', '--seed', '7', '--answers', right, '--junit']), runCli(cli, ['drill', '--seed', '7', '--answers', flush, '--junit'])]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain('Ticket (drill seed 7');
      const passed = validateJunit(ok.stdout);
      expect(passed.length).toBe(6);
      expect(passed.every((c) => c.children.length === 0)).toBe(true);
      expect(bad.code, bad.stderr).toBe(1);
      const failed = validateJunit(bad.stdout).filter((c) => c.children[0]?.tag === 'failure');
      expect(failed.map((c) => c.attrs.name)).toEqual(['stays closed: internet-to-db']);
    } finally {
      cli.dispose();
    }
  });
});

let term: TutorTerminal | undefined;
afterEach(async () => {
  await term?.close();
  term = undefined;
});

it('in a terminal: the ticket, a shell, and `giveup` shows the debrief with the commands typed', async () => {
  prepareUnprivilegedCli().dispose(); // builds dist/ if it is missing
  term = openTutorTerminal();
  term.start(['drill', '--seed', '7']);
  await term.waitFor(/\(drill\) root@drill:~#\s*$/m);
  term.line('iptables -S DOCKER-USER');
  await term.waitFor(/-A DOCKER-USER -p tcp -m tcp --dport 80 -j DROP/);
  term.line('giveup');
  const screen = await term.waitFor(/\[tutor exited \d+\]/);
  expect(screen).toMatch(/Drill seed 7: GAVE UP in \dm\d\ds/);
  expect(screen).toContain('- DOCKER-USER drops the published port [docker, level 3]');
  expect(screen).toContain('iptables -D DOCKER-USER -p tcp -m tcp --dport 80 -j DROP');
  expect(screen).toContain('$ iptables -S DOCKER-USER');
  expect(screen).not.toContain('$ giveup');
  expect(screen).toContain('[tutor exited 1]');
});
