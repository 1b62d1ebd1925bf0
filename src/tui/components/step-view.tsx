// The step's rendered markdown (lines that already fit the width) in a fixed number of rows,
// scrolled by PgUp/PgDn, with a marker when more is above or below. Render only.
import { Box, Text } from 'ink';

export interface StepViewProps {
  lines: readonly string[];
  rows: number;
  offset: number;
}

/** The first line shown for a scroll offset (the marker row takes one row when not all fit). */
export function stepWindow(lineCount: number, rows: number, offset: number): { start: number; room: number; below: number } {
  const room = lineCount > rows ? rows - 1 : rows;
  const start = Math.max(0, Math.min(offset, lineCount - room));
  return { start, room, below: Math.max(0, lineCount - (start + room)) };
}

export function StepView({ lines, rows, offset }: StepViewProps) {
  const more = lines.length > rows;
  const { start, room, below } = stepWindow(lines.length, rows, offset);
  const shown = lines.slice(start, start + room);
  return (
    <Box flexDirection="column" height={rows} overflowY="hidden">
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length ? line : ' '}
        </Text>
      ))}
      {more ? (
        <Text dimColor>{below > 0 ? `  ↓ ${below} more line${below === 1 ? '' : 's'}: PgDn` : '  ↑ PgUp for the start of the step'}</Text>
      ) : null}
    </Box>
  );
}
