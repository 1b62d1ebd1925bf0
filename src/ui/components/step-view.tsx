// The step's rendered markdown in a fixed number of rows, scrolled by PgUp/PgDn, with a marker
// when more is above or below. Render only.
import { Box, Text } from 'ink';

export interface StepViewProps {
  lines: readonly string[];
  rows: number;
  offset: number;
}

export function StepView({ lines, rows, offset }: StepViewProps) {
  const more = lines.length > rows;
  const room = more ? rows - 1 : rows;
  const start = Math.max(0, Math.min(offset, lines.length - room));
  const shown = lines.slice(start, start + room);
  const below = lines.length - (start + room);
  return (
    <Box flexDirection="column" height={rows} overflowY="hidden">
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length ? line : ' '}
        </Text>
      ))}
      {more ? (
        <Text dimColor wrap="truncate-end">
          {below > 0 ? `  ↓ ${below} more line${below === 1 ? '' : 's'}: PgDn` : '  ↑ PgUp for the start of the step'}
        </Text>
      ) : null}
    </Box>
  );
}
