// The prompt line: what is typed, with its cursor. Render only.
import { Text } from 'ink';
import type { PromptState } from './use-prompt-state.js';

export interface PromptViewProps {
  state: PromptState;
  placeholder: string;
  width: number;
  /** The line continues an unfinished command (bash's `>` prompt). */
  continuation?: boolean;
}

export function PromptView({ state, placeholder, width, continuation = false }: PromptViewProps) {
  const { text, cursor } = state;
  // keep the cursor visible on long lines
  const room = Math.max(10, width - 4);
  const start = Math.max(0, cursor - room + 1);
  const shown = text.slice(start, start + room).replace(/\n/g, '⏎');
  const at = cursor - start;
  return (
    <Text wrap="truncate-end">
      <Text color="green" bold>
        {continuation ? '> ' : '❯ '}
      </Text>
      {text.length === 0 ? (
        <>
          <Text inverse> </Text>
          <Text dimColor>{placeholder}</Text>
        </>
      ) : (
        <>
          {shown.slice(0, at)}
          <Text inverse>{shown[at] ?? ' '}</Text>
          {shown.slice(at + 1)}
        </>
      )}
    </Text>
  );
}
