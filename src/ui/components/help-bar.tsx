// The bottom line and the :help panel, both generated from the command table. Render only.
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { availableMetaCommands, KEY_BINDINGS, type Features, type KeyContext } from '../../session/command-table.js';

export function helpBarText(context: Exclude<KeyContext, 'global'>, features: Features): string {
  const keys = KEY_BINDINGS.filter((b) => b.bar && b.label && (b.context === context || b.context === 'global'));
  const keyPart = keys.map((b) => `${b.label} ${b.bar ?? b.summary}`).join(' · ');
  if (context === 'picker') return keyPart;
  return `${availableMetaCommands(features).map((c) => `:${c.name}`).join(' ')}  ·  ${keyPart}`;
}

export function HelpBar({ context, features }: { context: Exclude<KeyContext, 'global'>; features: Features }) {
  return (
    <Text dimColor wrap="truncate-end">
      {helpBarText(context, features)}
    </Text>
  );
}

export function HelpPanel({ features, rows }: { features: Features; rows: number }) {
  const keys = KEY_BINDINGS.filter((b) => b.label && b.context !== 'picker');
  const lines: ReactElement[] = [
    <Text bold>Commands (type them at the prompt)</Text>,
    ...availableMetaCommands(features).map((c) => (
      <Text wrap="truncate-end">
        <Text color="cyan">{`  :${c.name}`.padEnd(12)}</Text>
        {c.summary}
      </Text>
    )),
    <Text bold>Keys</Text>,
    ...keys.map((k) => (
      <Text wrap="truncate-end">
        <Text color="cyan">{`  ${k.label!}`.padEnd(12)}</Text>
        {k.summary}
      </Text>
    )),
    <Text wrap="truncate-end" dimColor>
      Commands that need a whole terminal (bash, ip netns exec fox bash, tcpdump without -c, less, vi, top) get it; then you are back here.
    </Text>,
  ];
  const room = Math.max(1, rows - 1);
  return (
    <Box flexDirection="column" height={rows}>
      {lines.slice(0, room).map((line, i) => (
        <Box key={i} flexShrink={0}>
          {line}
        </Box>
      ))}
      <Text dimColor>{lines.length > room ? 'Esc or :help closes this (make the window taller to see all of it).' : 'Esc or :help closes this.'}</Text>
    </Box>
  );
}
