// The output area: the rows in view (wrapped to the width, see output-rows.ts and
// output-window.ts) in exactly `rows` rows, under a rule that says what is scrolled out of view
// and which keys scroll. Render only, but for outputRuleText (pure).
import { Box, Text } from 'ink';
import { keyLabel } from '../../domain/session/command-table.js';
import type { OutputKind } from '../../domain/session/output-buffer.js';
import type { OutputRow } from '../lines/output-rows.js';
import type { OutputWindow } from '../lines/output-window.js';

const styles: Record<OutputKind, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  command: { bold: true },
  stdout: {},
  stderr: { color: 'red' },
  note: { dimColor: true },
  // the tutor's voice, as its notices; code spans inside stay yellow, as code is everywhere
  hint: { color: 'cyan' },
  success: { color: 'green', bold: true },
  error: { color: 'red', bold: true },
  code: { color: 'yellow' },
  report: {},
};

const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;

/** The rule above the output, at `width` columns. */
export function outputRuleText(view: Pick<OutputWindow, 'scroll' | 'linesAbove' | 'linesBelow'>, width: number): string {
  const keys = keyLabel('scroll-output-up');
  let words = '';
  if (view.scroll.kind === 'pinned' && view.linesBelow > 0) words = ` ↓ ${lines(view.linesBelow)} below · ${keys} scrolls · ${keyLabel('output-start').replace('Home/', '')}: newest `;
  else if (view.scroll.kind === 'pinned' || view.linesAbove > 0) words = ` ↑ ${lines(view.linesAbove)} above · ${keys} scrolls `;
  const text = words ? `──${words}` : '';
  return text.length >= width ? text.slice(0, width) : text + '─'.repeat(width - text.length);
}

export function OutputRule({ view, width }: { view: OutputWindow; width: number }) {
  return (
    <Text dimColor wrap="truncate-end">
      {outputRuleText(view, width)}
    </Text>
  );
}

export function OutputView({ lines: shown, rows }: { lines: readonly OutputRow[]; rows: number }) {
  return (
    <Box flexDirection="column" height={rows} overflowY="hidden">
      {shown.slice(Math.max(0, shown.length - rows)).map((l, i) => (
        <Text key={i} {...styles[l.kind]} wrap="truncate-end">
          {l.text.length ? l.text : ' '}
        </Text>
      ))}
    </Box>
  );
}
