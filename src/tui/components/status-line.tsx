// The line above the prompt: what the tutor is doing, the "step complete" moment, or the latest
// notice. A long sentence wraps (up to MAX_STATUS_ROWS rows) instead of being cut. statusOf and
// statusRows (pure) pick what to say and lay it out; the component only draws.
import { Box, Text } from 'ink';
import { describeFailing, describeHolding } from '../../app/course/render-text.js';
import type { Notice, SessionState } from '../../domain/session/types.js';
import { MAX_STATUS_ROWS } from '../lines/layout.js';
import { renderInlineMarkdown } from '../markdown/inline.js';
import { displayWidth, hardWrap } from '../text/styled-text.js';
import { wrapWords } from '../text/wrap-words.js';

export interface Status {
  text: string;
  tone: Notice['tone'] | 'busy' | 'complete' | 'quiet';
  /** The text is the tutor's own and may use inline markdown (not a command the learner typed). */
  markdown?: boolean;
}

/** How the step's checks stand, in the words `netns-tutor check` uses (numbers and verbs agree). */
export function checksSummary(passing: number, total: number): string {
  const standing = passing === total ? describeHolding(total) : `${describeFailing(total - passing, total)} yet`;
  return `${standing} · ${total === 1 ? 'it re-runs' : 'they re-run'} after each command and on every change`;
}

export function statusOf(state: SessionState, lastStep: boolean): Status {
  const { phase } = state;
  const n = state.queued.length;
  const waiting = n > 0 ? `  · ${n} command${n === 1 ? '' : 's'} waiting` : '';
  if (phase.kind === 'preparing') return { text: `… ${phase.note}${waiting}`, tone: 'busy' };
  if (phase.kind === 'skipping') return { text: `… applying the solution${waiting}`, tone: 'busy' };
  if (state.continuation !== undefined) {
    const first = state.continuation.split('\n')[0]!;
    return { text: `continuing \`${first}${state.continuation.includes('\n') ? ' …' : ''}\`: type the rest (Ctrl-C cancels)`, tone: 'info' };
  }
  if (state.notice) return { text: state.notice.text, tone: state.notice.tone, markdown: state.notice.tone !== 'error' };
  if (phase.kind === 'step-complete') {
    return { text: `✓ Step complete! Press Enter for ${lastStep ? 'the end of the course' : 'the next step'} (or keep exploring).`, tone: 'complete' };
  }
  if (phase.kind === 'course-complete') return { text: '★ You finished the whole course. Well done! :lessons to revisit a lesson, :quit to leave.', tone: 'complete' };
  if (phase.kind === 'broken') return { text: `The sandbox is not available: ${phase.message.split('\n')[0]}`, tone: 'error' };
  if (state.running) return { text: `running ${state.running}  (Ctrl-C stops it)${waiting}`, tone: 'busy' };
  const checks = state.checks;
  if (checks) return { text: checksSummary(checks.filter((c) => c.status === 'pass').length, checks.length), tone: 'quiet' };
  return { text: '', tone: 'quiet' };
}

/** The status as rows of at most `width` columns (the last one ends in … if it still does not fit). */
export function statusRows(status: Status, width: number): string[] {
  if (!status.text) return [' '];
  // the moment of completion is drawn on a coloured bar, with a space of margin...
  const pad = status.tone === 'complete' ? 1 : 0;
  // ...and the bar spans the whole width
  const rows = wrapWords(status.markdown ? renderInlineMarkdown(status.text) : status.text, width - 2 * pad).map((r) =>
    pad ? ` ${r}${' '.repeat(Math.max(0, width - 1 - displayWidth(r)))}` : r,
  );
  if (rows.length <= MAX_STATUS_ROWS) return rows;
  // longer than a status should ever be (a failure's first line; its whole text is in the output)
  return [...rows.slice(0, MAX_STATUS_ROWS - 1), `${hardWrap(rows[MAX_STATUS_ROWS - 1]!, width - 1)[0]!}…`];
}

const colors: Record<Status['tone'], string | undefined> = {
  info: 'cyan',
  warn: 'yellow',
  error: 'red',
  success: 'green',
  busy: 'yellow',
  complete: 'green',
  quiet: 'gray',
};

export function StatusLine({ status, rows }: { status: Status; rows: readonly string[] }) {
  const complete = status.tone === 'complete';
  return (
    <Box flexDirection="column" flexShrink={0}>
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate-end" color={complete ? 'black' : colors[status.tone]} backgroundColor={complete ? 'green' : undefined} bold={complete}>
          {row}
        </Text>
      ))}
    </Box>
  );
}
