// The output area: the newest rows of command output and the tutor's notes (already wrapped to
// the width, see output-rows.ts), in exactly `rows` rows. Render only.
import { Box, Text } from 'ink';
import type { OutputKind } from '../../session/output-buffer.js';
import type { OutputRow } from '../output-rows.js';

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

export function OutputView({ lines, rows }: { lines: readonly OutputRow[]; rows: number }) {
  const shown = lines.slice(Math.max(0, lines.length - rows));
  return (
    <Box flexDirection="column" height={rows} overflowY="hidden">
      {shown.map((l, i) => (
        <Text key={i} {...styles[l.kind]} wrap="truncate-end">
          {l.text.length ? l.text : ' '}
        </Text>
      ))}
    </Box>
  );
}
