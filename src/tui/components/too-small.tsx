// Shown instead of the layout when the terminal is smaller than it needs. Render only.
import { Box, Text } from 'ink';
import { MIN_COLUMNS, MIN_ROWS } from '../lines/layout.js';

export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box flexDirection="column">
      <Text color="yellow" wrap="wrap">
        {`netns-tutor needs a terminal of at least ${MIN_COLUMNS}×${MIN_ROWS}; this one is ${columns}×${rows}.`}
      </Text>
      <Text wrap="wrap">Make the window larger and the lesson comes back. :quit leaves.</Text>
    </Box>
  );
}
