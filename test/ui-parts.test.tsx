// The UI's pure parts: the line editor, typed-chunk splitting, layout, check rows, the help and
// status lines, markdown and the text wrapping under it, output rows, the output batcher and the
// evaluation scheduler.
import { describe, expect, it, vi } from 'vitest';
import chalk from 'chalk';
import { buildCheckLines } from '../src/tui/lines/check-lines.js';
import { colorLevelFor } from '../src/tui/terminal/color-level.js';
import { headerParts } from '../src/tui/components/header.js';
import { helpBarText, helpPanelRows, helpPanelView } from '../src/tui/components/help-bar.js';
import { checksSummary, statusRows } from '../src/tui/components/status-line.js';
import { planLayout } from '../src/tui/lines/layout.js';
import { loadMarkdown, renderMarkdown } from '../src/tui/markdown/render-markdown.js';
import { languageOf } from '../src/tui/markdown/highlight.js';
import { withOutputHeld } from '../src/tui/markdown/hold-output.js';
import { renderTable, shareColumns } from '../src/tui/markdown/table.js';
import { outputRows } from '../src/tui/lines/output-rows.js';
import { displayWidth, hardWrap, stripStyles } from '../src/tui/text/styled-text.js';
import { wrapCode } from '../src/tui/text/wrap-code.js';
import { wrapWords } from '../src/tui/text/wrap-words.js';
import { splitTyped } from '../src/tui/prompt/use-prompt.js';
import { initialPrompt, reducePrompt, type PromptAction, type PromptState } from '../src/tui/prompt/use-prompt-state.js';
import { createEvaluationScheduler } from '../src/app/runtime/evaluation-scheduler.js';
import { createOutputBatcher } from '../src/app/runtime/output-batcher.js';
import type { Check, Lesson } from '../src/domain/lesson/types.js';

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
    const l = planLayout({ columns: 120, rows: 40, stepLines: 100, checkLines: 4, outputLines: 50 });
    expect(l.kind).toBe('normal');
    if (l.kind !== 'normal') return;
    expect(1 + l.stepRows + l.checkRows + 1 + l.outputRows + l.statusRows + 2).toBe(39);
    expect(l.outputRows).toBeGreaterThanOrEqual(3);
  });

  it('gives the step the rows the output does not use yet; the output grows up to its share', () => {
    const fresh = planLayout({ columns: 120, rows: 40, stepLines: 100, checkLines: 2, outputLines: 1 });
    const some = planLayout({ columns: 120, rows: 40, stepLines: 100, checkLines: 2, outputLines: 5 });
    const lots = planLayout({ columns: 120, rows: 40, stepLines: 100, checkLines: 2, outputLines: 500 });
    expect(fresh).toMatchObject({ kind: 'normal', outputRows: 2, stepRows: 30 });
    expect(some).toMatchObject({ kind: 'normal', outputRows: 5, stepRows: 27 });
    expect(lots).toMatchObject({ kind: 'normal', outputRows: 11, stepRows: 21 });
  });

  it('gives a short step only the rows it needs', () => {
    const l = planLayout({ columns: 120, rows: 40, stepLines: 5, checkLines: 2, outputLines: 0 });
    expect(l).toMatchObject({ kind: 'normal', stepRows: 5 });
  });

  it('makes room for a status sentence that wraps', () => {
    const one = planLayout({ columns: 80, rows: 24, stepLines: 100, checkLines: 2, outputLines: 0, statusLines: 1 });
    const two = planLayout({ columns: 80, rows: 24, stepLines: 100, checkLines: 2, outputLines: 0, statusLines: 2 });
    if (one.kind !== 'normal' || two.kind !== 'normal') throw new Error('layout too small');
    expect(two.statusRows).toBe(2);
    expect(two.stepRows + two.outputRows).toBe(one.stepRows + one.outputRows - 1);
  });

  it('says too small below the minimum', () => {
    expect(planLayout({ columns: 50, rows: 40, stepLines: 5, checkLines: 2, outputLines: 0 }).kind).toBe('too-small');
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

  it('renders inline markdown in sentences and hints, and wraps them at word boundaries', () => {
    const lines = buildCheckLines(checks.slice(1), [{ name: 'bear exists', status: 'fail', message: 'Make it with `ip netns add bear`, **then** look.', hint: '`ip netns add bear`' }], 30);
    expect(lines.map((l) => stripStyles(l.text))).toEqual(['✗ bear exists', '    Make it with ip netns add', '    bear, then look.', '    hint: ip netns add bear']);
  });

  it('shows a failing check’s evidence under its sentence, as `check` prints it (issue 12)', () => {
    const lines = buildCheckLines(checks.slice(1), [{ name: 'bear exists', status: 'fail', message: 'veth-bear is not in bear.', evidence: 'veth-bear is in fox (state DOWN)\nhost: no such link', hint: 'move it' }], 60);
    expect(lines.map((l) => [l.tone, stripStyles(l.text)])).toEqual([
      ['fail', '✗ bear exists'],
      ['detail', '    veth-bear is not in bear.'],
      ['evidence', '    veth-bear is in fox (state DOWN)'],
      ['evidence', '    host: no such link'],
      ['hint', '    hint: move it'],
    ]);
  });

  it('builds the help bar from the command table', () => {
    expect(helpBarText('prompt', { map: true, diagnose: true })).toMatch(/^:hint :solution :skip :reset :lessons :shell :map :why :help :quit  ·  Ctrl-C/);
    expect(helpBarText('prompt', { map: false, diagnose: false })).toMatch(/Ctrl-C stop · ↑↓ history · Shift-PgUp\/Dn output$/);
    expect(helpBarText('prompt', { map: true, diagnose: true }).length).toBeLessThanOrEqual(118);
    expect(helpBarText('picker', { map: false, diagnose: false })).toMatch(/↑↓ choose · Enter start it/);
  });

  it('leaves whole items out of a narrow help bar, keeping :help and Ctrl-C', () => {
    const bar = helpBarText('prompt', { map: true, diagnose: true }, 79);
    expect(bar.length).toBeLessThanOrEqual(79);
    expect(bar).toMatch(/^:hint .*:help :quit  ·  Ctrl-C stop/);
    expect(bar).not.toMatch(/:map|:why/);
  });

  it('lays :help out at the width, wrapped at words, and scrolls what does not fit', () => {
    const rows = helpPanelRows({ map: true, diagnose: true }, 60).map(stripStyles);
    expect(rows.every((r) => r.length <= 60)).toBe(true);
    const text = rows.join('\n');
    expect(text.replace(/\s+/g, ' ')).toContain('tcpdump without -c, less, vi, top) get it; then you are back here.');
    expect(text).not.toContain('…');
    const top = helpPanelView({ map: true, diagnose: true }, 60, 10, 0);
    const end = helpPanelView({ map: true, diagnose: true }, 60, 10, 1000);
    expect(top.closing.join(' ')).toMatch(/PgUp\/PgDn scroll this help/);
    expect(end.shown.map(stripStyles).join(' ')).toMatch(/you are back here\.$/);
    expect(end.offset).toBe(rows.length - 9);
  });

  it('wraps the status sentence instead of cutting it, with inline markdown rendered', () => {
    const status = { text: ':why follows a failing reachability check, and this step has none failing. Try `netns-tutor diagnose FROM TO` in :shell for any path.', tone: 'info' as const, markdown: true };
    const rows = statusRows(status, 119).map(stripStyles);
    expect(rows).toEqual([':why follows a failing reachability check, and this step has none failing. Try netns-tutor diagnose FROM TO in :shell', 'for any path.']);
    const complete = statusRows({ text: '✓ Step complete!', tone: 'complete' }, 40);
    expect(complete).toEqual([` ✓ Step complete!${' '.repeat(23)}`]);
  });

  it('keeps "step N of M" in a narrow header: the course share goes first, then the bar, then the title is shortened', () => {
    const lesson = { number: 9, title: 'Kubernetes CIDRs and services', steps: Array.from({ length: 7 }, () => ({})) } as unknown as Lesson;
    expect(headerParts(lesson, 0, 12, 119)).toEqual({ title: 'Lesson 9 · Kubernetes CIDRs and services', bar: true, share: '  course 12%' });
    expect(headerParts(lesson, 0, 12, 70)).toEqual({ title: 'Lesson 9 · Kubernetes CIDRs and services', bar: true, share: '' });
    expect(headerParts(lesson, 0, 12, 59)).toEqual({ title: 'Lesson 9 · Kubernetes CIDRs and services', bar: false, share: '' });
    expect(headerParts(lesson, 0, 12, 45)).toEqual({ title: 'Lesson 9 · Kubernetes CIDRs an…', bar: false, share: '' });
  });

  it('counts checks in words that agree with their number', () => {
    expect(checksSummary(0, 1)).toMatch(/^The check does not hold yet · it re-runs/);
    expect(checksSummary(1, 3)).toMatch(/^2 of 3 checks do not hold yet · they re-run/);
    expect(checksSummary(2, 3)).toMatch(/^1 of 3 checks does not hold yet/);
    expect(checksSummary(0, 2)).toMatch(/^Neither check holds yet/);
  });

  it('renders markdown at the width, the same before and after the colours load', async () => {
    const md = '# Title\n\nA paragraph that is long enough to wrap at a narrow width, for sure.\n\n```sh\nip netns add fox\n```\n';
    const before = renderMarkdown(md, 30);
    await loadMarkdown();
    const rich = renderMarkdown(md, 30);
    // eslint-disable-next-line no-control-regex
    const visible = rich.replace(/\u001b\[[0-9;]*m/g, '');
    // eslint-disable-next-line no-control-regex
    expect(before.replace(/\u001b\[[0-9;]*m/g, '')).toBe(visible);
    expect(visible).toContain('  ip netns add fox');
    expect(visible).not.toContain('```');
    expect(visible.split('\n').every((l) => l.length <= 30)).toBe(true);
    const list = renderMarkdown('* **iptables** (the default): `iptables -S`\n* plain\n', 60).replace(/\u001b\[[0-9;]*m/g, '');
    expect(list).toContain('iptables (the default): iptables -S');
    expect(list).not.toMatch(/\*\*|`/);
  });
});

describe('wrapping styled text', () => {
  const yellow = (s: string) => `\u001b[33m${s}\u001b[39m`;

  it('wraps at spaces, breaks only a word wider than the line, and keeps indents', () => {
    expect(wrapWords('the solutions are here', 12)).toEqual(['the', 'solutions', 'are here']);
    expect(wrapWords('a verylongwordindeed b', 8)).toEqual(['a', 'verylong', 'wordinde', 'ed b']);
    expect(wrapWords('one two three four', 11, { firstIndent: '• ', indent: '  ' })).toEqual(['• one two', '  three', '  four']);
    expect(wrapWords('line one\nline two', 40)).toEqual(['line one', 'line two']);
  });

  it('closes a style at the end of a line and opens it again on the next', () => {
    const lines = wrapWords(`see ${yellow('ip netns add fox')} now`, 12);
    expect(lines.map(stripStyles)).toEqual(['see ip netns', 'add fox now']);
    expect(lines[0]).toBe(`see ${'\u001b[33m'}ip netns${'\u001b[39m'}`);
    expect(lines[1]).toBe(`${'\u001b[33m'}add fox${'\u001b[39m'} now`);
  });

  it('measures and hard-wraps by columns, not by escape characters', () => {
    expect(displayWidth(yellow('abc'))).toBe(3);
    expect(hardWrap(yellow('abcdef'), 4)).toEqual(['\u001b[33mabcd\u001b[39m', '\u001b[33mef\u001b[39m']);
  });
});

describe('wrapping code', () => {
  it('breaks a long shell command at a space and marks it as one command', () => {
    const line = 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.202.11:80';
    const lines = wrapCode(line, 60, 'shell');
    expect(lines).toEqual(['iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j \\', '  DNAT --to-destination 192.168.202.11:80']);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
  });

  it('does not break inside quotes when it can break outside them', () => {
    const lines = wrapCode(`iptables -A X -m comment --comment "default/web -> 10.200.2.2:8080" -j KUBE-SEP-WEB`, 50, 'shell');
    expect(lines).toEqual(['iptables -A X -m comment --comment \\', '  "default/web -> 10.200.2.2:8080" -j KUBE-SEP-WEB']);
  });

  it('continues a comment as a comment, and a here-document as data', () => {
    expect(wrapCode('# the kernel answers for every address it owns, so nothing else is needed', 40, 'shell')).toEqual([
      '# the kernel answers for every address',
      '  # it owns, so nothing else is needed',
    ]);
    const doc = wrapCode(`cat > f <<'EOF'\n{ "cniVersion": "1.0.0", "name": "pods", "type": "bridge", "bridge": "cni0" }\nEOF`, 40, 'shell');
    expect(doc).toEqual([`cat > f <<'EOF'`, '{ "cniVersion": "1.0.0", "name": "pods",', '↪ "type": "bridge", "bridge": "cni0" }', 'EOF']);
  });
});

describe('tables', () => {
  const cells = {
    header: ['range', 'what gets addresses from it', 'configured by'],
    rows: [['service range', 'ClusterIPs of services', 'kube-apiserver --service-cluster-ip-range (kubeadm: networking.serviceSubnet, default 10.96.0.0/12)']],
  };

  it('draws a table that fits as it is, and wraps cells of one that does not', () => {
    const wide = renderTable(cells, 200).map(stripStyles);
    expect(wide).toHaveLength(5);
    const narrow = renderTable(cells, 70).map(stripStyles);
    expect(narrow.every((l) => l.length === 70)).toBe(true);
    // the third column, read down, is the whole cell
    const third = narrow.map((l) => l.split('│')[3] ?? '').join(' ');
    expect(third.replace(/\s+/g, ' ').trim()).toBe('configured by kube-apiserver --service-cluster-ip-range (kubeadm: networking.serviceSubnet, default 10.96.0.0/12)');
  });

  it('turns rows into records when the columns cannot fit', () => {
    const lines = renderTable(cells, 30).map(stripStyles);
    expect(lines[0]).toBe('range: service range');
    expect(lines.every((l) => l.length <= 30)).toBe(true);
  });

  it('shares the room: narrow columns keep their width, wide ones share the rest', () => {
    expect(shareColumns([5, 40, 60], 65)).toEqual([5, 24, 36]);
  });
});

describe('code blocks and the console', () => {
  it('takes the language from the first word of the info string', () => {
    expect(languageOf('sh example')).toBe('sh');
    expect(languageOf(' sh   solution ')).toBe('sh');
    expect(languageOf(undefined)).toBe('');
  });

  it('writes nothing to the console or the terminal while rendering, whatever the language', async () => {
    await loadMarkdown();
    const level = chalk.level;
    chalk.level = 1;
    const err = vi.spyOn(process.stderr, 'write');
    const out = vi.spyOn(process.stdout, 'write');
    const cerr = vi.spyOn(console, 'error');
    try {
      const text = renderMarkdown('```sh example\nip link\n```\n\n```nosuchlanguage\nwhatever\n```\n\n```\nplain\n```\n', 60);
      expect(stripStyles(text)).toBe('  ip link\n\n  whatever\n\n  plain');
      expect(err).not.toHaveBeenCalled();
      expect(out).not.toHaveBeenCalled();
      expect(cerr).not.toHaveBeenCalled();
    } finally {
      chalk.level = level;
      err.mockRestore();
      out.mockRestore();
      cerr.mockRestore();
    }
  });

  it('holds the console and the streams for the length of a call, then gives them back', () => {
    const cerr = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      withOutputHeld(() => console.error('Could not find the language'));
      expect(cerr).not.toHaveBeenCalled();
      console.error('after');
      expect(cerr).toHaveBeenCalledWith('after');
    } finally {
      cerr.mockRestore();
    }
  });
});

describe('output rows', () => {
  it("wraps the tutor's notes at word boundaries with their markdown, and program output at the last column", () => {
    const rows = outputRows(
      [
        { kind: 'hint', text: 'Hint 1 of 2: `ip netns add NAME` creates it; the solutions come later.' },
        { kind: 'stdout', text: 'abcdefghijklmnopqrstuvwxyz' },
      ],
      30,
      10,
    );
    expect(rows.map((r) => stripStyles(r.text))).toEqual(['Hint 1 of 2: ip netns add NAME', 'creates it; the solutions come', 'later.', 'abcdefghijklmnopqrstuvwxyz']);
    expect(outputRows([{ kind: 'stdout', text: 'x'.repeat(50) }], 30, 10).map((r) => r.text)).toEqual(['x'.repeat(30), 'x'.repeat(20)]);
    expect(outputRows([{ kind: 'note', text: 'one' }, { kind: 'note', text: 'two' }, { kind: 'note', text: 'three' }], 30, 2).map((r) => r.text)).toEqual(['two', 'three']);
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
