// The output pane's window over the kept lines: following, scrolling back and forth by pages,
// the oldest line, a pin that survives dropped lines and new output, and the rule's words.
import { describe, expect, it } from 'vitest';
import { appendLines, appendText, emptyOutput, MAX_OUTPUT_LINES, nextLineNumber, visibleLines, type OutputBuffer } from '../src/domain/session/output-buffer.js';
import { outputRuleText } from '../src/tui/components/output-view.js';
import { FOLLOW, outputStart, outputWindow, scrollOutput, type OutputSource } from '../src/tui/lines/output-window.js';

const seq = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).join('\n') + '\n';
const source = (b: OutputBuffer, width = 40): OutputSource => ({ lines: visibleLines(b), first: b.dropped, width });
const texts = (rows: readonly { text: string }[]) => rows.map((r) => r.text);

describe('the output window', () => {
  const buffer = appendText(emptyOutput, seq(1, 500), 'stdout');

  it('follows the newest rows, and says how many lines are above', () => {
    const w = outputWindow(source(buffer), 5, FOLLOW);
    expect(texts(w.rows)).toEqual(['496', '497', '498', '499', '500']);
    expect(w.linesAbove).toBe(495);
    expect(outputRuleText(w, 60)).toMatch(/^── ↑ 495 lines above · Shift-PgUp\/Dn scrolls ─+$/);
  });

  it('pages back and forward, reaches line 1, and follows again at the end', () => {
    let scroll = scrollOutput(source(buffer), 5, FOLLOW, -4);
    expect(texts(outputWindow(source(buffer), 5, scroll).rows)).toEqual(['492', '493', '494', '495', '496']);
    for (let i = 0; i < 200; i++) scroll = scrollOutput(source(buffer), 5, scroll, -4);
    const top = outputWindow(source(buffer), 5, scroll);
    expect(texts(top.rows)).toEqual(['1', '2', '3', '4', '5']);
    expect(top.linesBelow).toBe(495);
    expect(outputRuleText(top, 80)).toMatch(/↓ 495 lines below · Shift-PgUp\/Dn scrolls · Shift-End: newest/);
    expect(outputStart(source(buffer))).toEqual(scroll);
    for (let i = 0; i < 200; i++) scroll = scrollOutput(source(buffer), 5, scroll, 4);
    expect(scroll).toEqual(FOLLOW);
  });

  it('scrolls by rows inside a wrapped line', () => {
    const long = appendLines(appendLines(emptyOutput, 'stdout', 'a'.repeat(35)), 'stdout', 'x');
    const w = outputWindow(source(long, 10), 2, scrollOutput(source(long, 10), 2, FOLLOW, -1));
    expect(texts(w.rows)).toEqual(['aaaaaaaaaa', 'aaaaa']);
    expect(w.linesAbove).toBe(1);
  });

  it('stays on its line while new output arrives and old lines are dropped', () => {
    const pin = scrollOutput(source(buffer), 5, FOLLOW, -100);
    const first = texts(outputWindow(source(buffer), 5, pin).rows);
    const more = appendText(buffer, seq(501, 600), 'stdout');
    expect(texts(outputWindow(source(more), 5, pin).rows)).toEqual(first);
    const flooded = appendText(buffer, seq(501, 500 + MAX_OUTPUT_LINES), 'stdout');
    // its line is gone: the oldest kept line is at the top
    expect(texts(outputWindow(source(flooded), 5, pin).rows)[0]).toBe(visibleLines(flooded)[0]!.text);
  });

  it('opens a report at its first line when it is longer than the pane, and follows when it fits', () => {
    const at = nextLineNumber(buffer);
    const report = appendLines(appendLines(buffer, 'note', 'Why fox → 10.0.0.1:'), 'report', seq(1, 30).trimEnd());
    const w = outputWindow(source(report), 5, { kind: 'pinned', line: at, row: 0 });
    expect(texts(w.rows)[0]).toBe('Why fox → 10.0.0.1:');
    const short = appendLines(appendLines(buffer, 'note', 'Why:'), 'report', 'first hop');
    expect(outputWindow(source(short), 5, { kind: 'pinned', line: at, row: 0 }).scroll).toEqual(FOLLOW);
    expect(texts(outputWindow(source(short), 5, { kind: 'pinned', line: at, row: 0 }).rows).slice(-2)).toEqual(['Why:', 'first hop']);
  });

  it('keeps a few thousand lines', () => {
    expect(MAX_OUTPUT_LINES).toBeGreaterThanOrEqual(2000);
    expect(visibleLines(appendText(emptyOutput, seq(1, 2500), 'stdout'))[0]!.text).toBe('1');
  });
});
