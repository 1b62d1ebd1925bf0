// The output area: the newest rows of command output and the tutor's notes, wrapped to the
// width, always exactly `rows` high. Render only.
import { Box, Text } from 'ink';
import type { OutputKind, OutputLine } from '../../session/output-buffer.js';
import { tailRows } from '../layout.js';

const styles: Record<OutputKind, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  command: { bold: true },
  stdout: {},
  stderr: { color: 'red' },
  note: { dimColor: true },
  hint: { color: 'yellow' },
  success: { color: 'green', bold: true },
  error: { color: 'red', bold: true },
  code: { color: 'cyan' },
};

export function OutputView({ lines, rows, width }: { lines: readonly OutputLine[]; rows: number; width: number }) {
  const shown = tailRows(lines, Math.max(1, width), rows);
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
