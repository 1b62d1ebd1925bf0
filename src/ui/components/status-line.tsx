// The one line above the prompt: what the tutor is doing, the "step complete" moment, or the
// latest notice. Render only; statusOf (pure) picks what to say.
import { Text } from 'ink';
import type { Notice, SessionState } from '../../session/types.js';

export interface Status {
  text: string;
  tone: Notice['tone'] | 'busy' | 'complete' | 'quiet';
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
  if (state.notice) return { text: state.notice.text, tone: state.notice.tone };
  if (phase.kind === 'step-complete') {
    return { text: ` ✓ Step complete! Press Enter for ${lastStep ? 'the end of the course' : 'the next step'} (or keep exploring). `, tone: 'complete' };
  }
  if (phase.kind === 'course-complete') return { text: ' ★ Course complete. :lessons to revisit a lesson, :quit to leave. ', tone: 'complete' };
  if (phase.kind === 'broken') return { text: `The sandbox is not available: ${phase.message.split('\n')[0]}`, tone: 'error' };
  if (state.running) return { text: `running ${state.running}  (Ctrl-C stops it)${waiting}`, tone: 'busy' };
  const checks = state.checks;
  if (checks) {
    const ok = checks.filter((c) => c.status === 'pass').length;
    return { text: `${ok} of ${checks.length} check${checks.length === 1 ? '' : 's'} hold · they re-run after each command and on every change`, tone: 'quiet' };
  }
  return { text: '', tone: 'quiet' };
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

export function StatusLine({ status }: { status: Status }) {
  return (
    <Text wrap="truncate-end" color={status.tone === 'complete' ? 'black' : colors[status.tone]} backgroundColor={status.tone === 'complete' ? 'green' : undefined} bold={status.tone === 'complete'}>
      {status.text || ' '}
    </Text>
  );
}
