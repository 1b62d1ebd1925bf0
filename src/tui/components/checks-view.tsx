// The step's checks with ✓/✗ and the sentence of each failing one. Render only.
import { Box, Text } from 'ink';
import type { CheckLine, CheckLineTone } from '../lines/check-lines.js';

const colors: Record<CheckLineTone, string | undefined> = {
  pass: 'green',
  fail: 'red',
  error: 'yellow',
  pending: 'gray',
  detail: undefined,
  evidence: undefined,
  hint: 'gray',
};

export function ChecksView({ lines, rows }: { lines: readonly CheckLine[]; rows: number }) {
  const shown = lines.length > rows ? [...lines.slice(0, rows - 1), { tone: 'hint' as const, text: `  … ${lines.length - rows + 1} more` }] : lines;
  return (
    <Box flexDirection="column" height={rows}>
      {shown.map((l, i) => (
        <Text key={i} color={colors[l.tone]} bold={l.tone === 'fail'} dimColor={l.tone === 'evidence'} wrap="truncate-end">
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
