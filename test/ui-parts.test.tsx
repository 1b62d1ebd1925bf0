// The UI's pure parts: the line editor, typed-chunk splitting, layout, check rows, markdown, the
// output batcher and the evaluation scheduler.
import { describe, expect, it, vi } from 'vitest';
import { buildCheckLines } from '../src/ui/check-lines.js';
import { colorLevelFor } from '../src/ui/color-level.js';
import { helpBarText } from '../src/ui/components/help-bar.js';
import { planLayout, tailRows } from '../src/ui/layout.js';
import { loadMarkdown, renderMarkdown } from '../src/ui/markdown.js';
import { renderPlainMarkdown } from '../src/ui/markdown-plain.js';
import { splitTyped } from '../src/ui/prompt/use-prompt.js';
import { initialPrompt, reducePrompt, type PromptAction, type PromptState } from '../src/ui/prompt/use-prompt-state.js';
import { createEvaluationScheduler } from '../src/ui/runtime/evaluation-scheduler.js';
import { createOutputBatcher } from '../src/ui/runtime/output-batcher.js';
import type { Check } from '../src/core/lesson/types.js';

const apply = (...actions: PromptAction[]): PromptState => actions.reduce(reducePrompt, initialPrompt);

describe('line editor', () => {
  it('inserts, moves and deletes', () => {
    const s = apply({ type: 'insert', text: 'ip a' }, { type: 'edit', action: 'cursor-left', history: [] }, { type: 'insert', text: 'ddr' });
    expect(s).toMatchObject({ text: 'ip ddra', cursor: 6 });
    expect(reducePrompt(s, { type: 'edit', action: 'delete-word', history: [] })).toMatchObject({ text: 'ip a', cursor: 3 });
    expect(reducePrompt(s, { type: 'edit', action: 'kill-to-start', history: [] })).toMatchObject({ text: 'a', cursor: 0 });
  });

  it('walks history and returns to the line being typed', () => {
    const history = ['one', 'two'];
    const typed = apply({ type: 'insert', text: 'dra' });
    const back1 = reducePrompt(typed, { type: 'edit', action: 'history-back', history });
    const back2 = reducePrompt(back1, { type: 'edit', action: 'history-back', history });
    expect([back1.text, back2.text]).toEqual(['two', 'one']);
    expect(reducePrompt(back2, { type: 'edit', action: 'history-back', history }).text).toBe('one');
    const fwd = reducePrompt(reducePrompt(back2, { type: 'edit', action: 'history-forward', history }), { type: 'edit', action: 'history-forward', history });
    expect(fwd).toMatchObject({ text: 'dra', historyIndex: undefined });
  });

  it('splits a typed chunk into text and keys', () => {
    expect(splitTyped('ip a\r')).toEqual([{ text: 'ip a' }, { key: 'return' }]);
    expect(splitTyped('a\u007fb\u0003')).toEqual([{ text: 'a' }, { key: 'backspace' }, { text: 'b' }, { key: 'ctrl+c' }]);
  });
});

describe('layout', () => {
  it('fits the frame one row short of the terminal', () => {
    const l = planLayout({ columns: 120, rows: 40, stepLines: 100, checkLines: 4 });
    expect(l.kind).toBe('normal');
    if (l.kind !== 'normal') return;
    expect(1 + l.stepRows + l.checkRows + 1 + l.outputRows + 3).toBe(39);
    expect(l.outputRows).toBeGreaterThanOrEqual(3);
  });

  it('gives a short step only the rows it needs', () => {
    const l = planLayout({ columns: 120, rows: 40, stepLines: 5, checkLines: 2 });
    expect(l).toMatchObject({ kind: 'normal', stepRows: 5 });
  });

  it('says too small below the minimum', () => {
    expect(planLayout({ columns: 50, rows: 40, stepLines: 5, checkLines: 2 }).kind).toBe('too-small');
  });

  it('wraps the output tail to rows', () => {
    const rows = tailRows([{ text: 'abcdefgh' }, { text: '' }, { text: 'xy' }], 3, 4);
    expect(rows.map((r) => r.text)).toEqual(['def', 'gh', '', 'xy']);
  });
});

describe('checks, help bar, markdown', () => {
  const checks: Check[] = [
    { kind: 'netns', netns: 'fox', exists: true, name: 'fox exists', message: 'There is no fox.', hint: 'ip netns add', in: 'host', line: 1 },
    { kind: 'netns', netns: 'bear', exists: true, name: 'bear exists', message: 'There is no bear.', in: 'host', line: 2 },
  ];

  it('shows pending checks, then ✓/✗ with the failing sentence and hint', () => {
    expect(buildCheckLines(checks, undefined).map((l) => l.text)).toEqual(['· fox exists', '· bear exists']);
    const lines = buildCheckLines(checks, [
      { name: 'fox exists', status: 'fail', message: 'There is no fox.' },
      { name: 'bear exists', status: 'pass' },
    ]);
    expect(lines.map((l) => l.text)).toEqual(['✗ fox exists', '    There is no fox.', '    hint: ip netns add', '✓ bear exists']);
  });

  it('wraps a long failing sentence to the width', () => {
    const lines = buildCheckLines(checks.slice(1), [{ name: 'bear exists', status: 'fail', message: 'There is no namespace called bear in this sandbox yet, so nothing can reach it.' }], 40);
    expect(lines.map((l) => l.text)).toEqual(['✗ bear exists', '    There is no namespace called bear in', '    this sandbox yet, so nothing can', '    reach it.']);
  });

  it('builds the help bar from the command table', () => {
    expect(helpBarText('prompt', { map: true, diagnose: true })).toMatch(/^:hint :solution :skip :reset :lessons :shell :map :why :help :quit  ·  Ctrl-C/);
    expect(helpBarText('prompt', { map: false, diagnose: false })).toMatch(/Ctrl-C stop · ↑↓ history · PgUp\/PgDn scroll$/);
    expect(helpBarText('prompt', { map: true, diagnose: true }).length).toBeLessThanOrEqual(118);
    expect(helpBarText('picker', { map: false, diagnose: false })).toMatch(/↑↓ choose · Enter start it/);
  });

  it('renders markdown plainly first, then with marked-terminal at the width', async () => {
    const md = '# Title\n\nA paragraph that is long enough to wrap at a narrow width, for sure.\n\n```sh\nip netns add fox\n```\n';
    const plain = renderPlainMarkdown(md, 30);
    expect(plain.split('\n').every((l) => l.length <= 30)).toBe(true);
    expect(plain).toContain('  ip netns add fox');
    await loadMarkdown();
    const rich = renderMarkdown(md, 30);
    // eslint-disable-next-line no-control-regex
    const visible = rich.replace(/\u001b\[[0-9;]*m/g, '');
    expect(visible).toContain('ip netns add fox');
    expect(visible).not.toContain('```');
    expect(visible.split('\n').every((l) => l.length <= 30)).toBe(true);
    const list = renderMarkdown('* **iptables** (the default): `iptables -S`\n* plain\n', 60).replace(/\u001b\[[0-9;]*m/g, '');
    expect(list).toContain('iptables (the default): iptables -S');
    expect(list).not.toMatch(/\*\*|`/);
  });
});

describe('colour level', () => {
  it('keeps colours on for CI=false in a terminal, and honours NO_COLOR and pipes', () => {
    expect(colorLevelFor({ CI: 'false', TERM: 'xterm-256color' }, true, 0)).toBe(2);
    expect(colorLevelFor({ CI: 'false', TERM: 'screen' }, true, 0)).toBe(1);
    expect(colorLevelFor({ CI: 'true', TERM: 'xterm-256color' }, true, 0)).toBe(0);
    expect(colorLevelFor({ CI: 'false', NO_COLOR: '' }, true, 0)).toBe(0);
    expect(colorLevelFor({ CI: 'false' }, false, 0)).toBe(0);
    expect(colorLevelFor({}, true, 3)).toBe(3);
  });
});

describe('output batcher and evaluation scheduler', () => {
  it('batches output and keeps only the newest text when a lot arrives', () => {
    vi.useFakeTimers();
    try {
      const got: string[] = [];
      const b = createOutputBatcher((t) => got.push(t), 50, 20);
      b.push('line 1\n', 'stdout');
      b.push('line 2\n', 'stdout');
      expect(got).toEqual([]);
      vi.advanceTimersByTime(50);
      expect(got).toEqual(['line 1\nline 2\n']);
      b.push('aaaaaaaaaa\nbbbbbbbbbb\ncccccccccc\n', 'stdout');
      b.flush();
      expect(got[1]).toBe('cccccccccc\n');
    } finally {
      vi.useRealTimers();
    }
  });

  it('never runs two evaluations at once and runs one more after a request during one', async () => {
    let running = 0;
    let max = 0;
    let count = 0;
    let release!: () => void;
    const s = createEvaluationScheduler(async () => {
      running++;
      max = Math.max(max, running);
      count++;
      await new Promise<void>((r) => (release = r));
      running--;
    });
    s.request('now');
    s.request('now');
    s.request('now');
    release();
    await new Promise((r) => setImmediate(r));
    release();
    await new Promise((r) => setImmediate(r));
    expect(count).toBe(2);
    expect(max).toBe(1);
    s.dispose();
  });
});
