// The bottom line and the :help panel, both generated from the command table. helpPanelRows
// (pure) lays the panel out at the width, wrapping at word boundaries; the components only draw.
import chalk from 'chalk';
import { Box, Text } from 'ink';
import { availableMetaCommands, KEY_BINDINGS, type Features, type KeyContext } from '../../domain/session/command-table.js';
import { wrapWords } from '../text/wrap-words.js';

/** Meta-commands and keys the bar leaves out first when it is too narrow (all are in :help). */
const DROP_FIRST = [':map', ':why', ':reset', ':lessons', '↑↓', ':solution', ':skip', 'Shift-PgUp/Dn'];

/** The bar's text at `width` columns: everything when it fits; otherwise whole items are left out
 *  (the rarest first), never cut in the middle. :help and Ctrl-C always stay. */
export function helpBarText(context: Exclude<KeyContext, 'global'>, features: Features, width = Infinity): string {
  const keys = KEY_BINDINGS.filter((b) => b.bar && b.label && (b.context === context || b.context === 'global'));
  const commands = context === 'picker' ? [] : availableMetaCommands(features).map((c) => `:${c.name}`);
  const compose = (dropped: ReadonlySet<string>) => {
    const keyPart = keys
      .filter((b) => !dropped.has(b.label!))
      .map((b) => `${b.label} ${b.bar ?? b.summary}`)
      .join(' · ');
    if (context === 'picker') return keyPart;
    return `${commands.filter((c) => !dropped.has(c)).join(' ')}  ·  ${keyPart}`;
  };
  const dropped = new Set<string>();
  let text = compose(dropped);
  for (const item of DROP_FIRST) {
    if (text.length <= width) break;
    dropped.add(item);
    text = compose(dropped);
  }
  return text;
}

export function HelpBar({ context, features, width }: { context: Exclude<KeyContext, 'global'>; features: Features; width: number }) {
  return (
    <Text dimColor wrap="truncate-end">
      {helpBarText(context, features, width)}
    </Text>
  );
}

const LABEL_WIDTH = 12;
const HAND_OVER_NOTE = 'Commands that need a whole terminal (bash, ip netns exec fox bash, tcpdump without -c, less, vi, top) get it; then you are back here.';

/** One entry: its label in a column, its sentence wrapped beside it. */
function entry(label: string, summary: string, width: number): string[] {
  const column = `  ${label}`.padEnd(LABEL_WIDTH - 1);
  // a label wider than its column gets a line of its own
  if (column.length >= LABEL_WIDTH) return [chalk.cyan(column), ...wrapWords(summary, width, { firstIndent: ' '.repeat(LABEL_WIDTH), indent: ' '.repeat(LABEL_WIDTH) })];
  const rows = wrapWords(summary, width, { firstIndent: ' '.repeat(LABEL_WIDTH), indent: ' '.repeat(LABEL_WIDTH) });
  return [chalk.cyan(column) + rows[0]!.slice(column.length), ...rows.slice(1)];
}

/** Every row of the help, at `width` columns. */
export function helpPanelRows(features: Features, width: number): string[] {
  const keys = KEY_BINDINGS.filter((b) => b.label && b.context !== 'picker');
  return [
    chalk.bold('Commands (type them at the prompt)'),
    ...availableMetaCommands(features).flatMap((c) => entry(`:${c.name}`, c.summary, width)),
    chalk.bold('Keys'),
    ...keys.flatMap((k) => entry(k.label!, k.summary, width)),
    ...wrapWords(chalk.dim(HAND_OVER_NOTE), width),
  ];
}

/** The rows the panel shows from `offset` on, and the line under them. */
export function helpPanelView(features: Features, width: number, rows: number, offset: number): { shown: string[]; closing: string[]; offset: number } {
  const lines = helpPanelRows(features, width);
  const fits = lines.length + 1 <= rows;
  const closing = wrapWords(fits ? 'Esc or :help closes this.' : 'PgUp/PgDn scroll this help · Esc or :help closes it.', width);
  const room = Math.max(0, rows - closing.length);
  const start = Math.max(0, Math.min(offset, lines.length - room));
  return { shown: lines.slice(start, start + room), closing, offset: start };
}

export function HelpPanel({ features, rows, width, offset }: { features: Features; rows: number; width: number; offset: number }) {
  const { shown, closing } = helpPanelView(features, width, rows, offset);
  return (
    <Box flexDirection="column" height={rows} overflowY="hidden">
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {closing.map((line, i) => (
        <Text key={`c${i}`} dimColor wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
