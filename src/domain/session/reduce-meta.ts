// What each `:` meta-command does to the session (the table is command-table.ts). Pure.
import type { MetaCommandName } from './command-table.js';
import { lessonAt, stepAt } from './course-position.js';
import { appendLines, closePartial, nextLineNumber } from './output-buffer.js';
import { advance, rebuildAt, recordCurrent } from './session-moves.js';
import type { Notice, SessionState, Transition } from './types.js';

const same = (state: SessionState): Transition => ({ state, effects: [] });
const notify = (state: SessionState, text: string, tone: Notice['tone'] = 'info'): Transition => same({ ...state, notice: { text, tone } });

/** Phases in which the sandbox is there and idle enough to act on. */
function sandboxBusy(state: SessionState): string | undefined {
  switch (state.phase.kind) {
    case 'preparing':
      return 'One moment: the sandbox is still being prepared.';
    case 'skipping':
      return 'One moment: the solution is still being applied.';
    case 'broken':
      return 'The sandbox is not available. Try :reset, or :quit.';
    default:
      return state.running ? 'A command is still running: Ctrl-C stops it.' : undefined;
  }
}

/** The first failing check (by the latest results) with a hint of its own not given yet: the
 *  hint that speaks to the mistake in front of the learner comes before the step's general ones. */
function failingCheckHint(state: SessionState): { name: string; hint: string } | undefined {
  const step = stepAt(state.course, state.position);
  for (const check of step.checks) {
    const r = state.checks?.find((x) => x.name === check.name);
    if (!r || r.status === 'pass' || state.checkHintsGiven.includes(check.name)) continue;
    const hint = r.hint ?? check.hint;
    if (hint) return { name: check.name, hint };
  }
  return undefined;
}

function showHint(state: SessionState): Transition {
  const specific = failingCheckHint(state);
  if (specific) {
    return same({
      ...state,
      checkHintsGiven: [...state.checkHintsGiven, specific.name],
      notice: undefined,
      output: appendLines(state.output, 'hint', `Hint for "${specific.name}": ${specific.hint}`),
    });
  }
  const { hints } = stepAt(state.course, state.position);
  if (hints.length === 0) return notify(state, 'This step has no hints. :solution shows the commands that complete it.');
  if (state.hintsShown >= hints.length) {
    return notify(state, `That was the last hint (${hints.length} of ${hints.length}). :solution shows the commands that complete the step.`);
  }
  const n = state.hintsShown + 1;
  return same({ ...state, hintsShown: n, notice: undefined, output: appendLines(state.output, 'hint', `Hint ${n} of ${hints.length}: ${hints[n - 1]!}`) });
}

function showSolution(state: SessionState): Transition {
  const step = stepAt(state.course, state.position);
  const closed = closePartial(state.output);
  let output = appendLines(closed, 'hint', 'The solution for this step (type it yourself, or :skip to have it run):');
  output = appendLines(output, 'code', step.solution.trimEnd());
  return same({ ...state, notice: undefined, output, readFrom: nextLineNumber(closed) });
}

function skip(state: SessionState): Transition {
  if (state.phase.kind === 'step-complete') return advance(state);
  if (state.phase.kind === 'course-complete') return notify(state, 'You have finished the course: nothing to skip.');
  if (state.phase.kind === 'broken') {
    const recorded = recordCurrent(state, 'skipped');
    const moved = advance(recorded.state, 'lesson');
    return { state: moved.state, effects: [...recorded.effects, ...moved.effects] };
  }
  const busy = sandboxBusy(state);
  if (busy) return notify(state, busy, 'warn');
  const lesson = lessonAt(state.course, state.position);
  const step = stepAt(state.course, state.position);
  return {
    state: {
      ...state,
      phase: { kind: 'skipping' },
      notice: undefined,
      output: appendLines(state.output, 'note', `Skipping: running the solution of "${step.title}" for you…`),
    },
    effects: [{ type: 'apply-solution', generation: state.sandboxGeneration, lessonId: lesson.id, stepId: step.id }],
  };
}

function handOverShell(state: SessionState): Transition {
  const busy = sandboxBusy(state);
  if (busy) return notify(state, busy, 'warn');
  const returnTo = state.phase.kind === 'step-complete' || state.phase.kind === 'course-complete' ? state.phase.kind : 'working';
  return {
    state: { ...state, phase: { kind: 'handed-over', what: 'bash', returnTo }, notice: undefined, panel: 'none' },
    effects: [{ type: 'hand-over', command: undefined }],
  };
}

/** :why diagnoses the step's first failing reachability check (by its latest result). */
function why(state: SessionState): Transition {
  if (!state.features.diagnose) return notify(state, 'The diagnoser is not part of this version yet.');
  const busy = sandboxBusy(state);
  if (busy) return notify(state, busy, 'warn');
  const step = stepAt(state.course, state.position);
  const failing = step.checks.find((c) => {
    if (c.kind !== 'reach' || c.fails) return false;
    const r = state.checks?.find((x) => x.name === c.name);
    return r === undefined || r.status !== 'pass';
  });
  if (!failing || failing.kind !== 'reach') {
    return notify(state, ':why follows a failing reachability check, and this step has none failing. Try `netns-tutor diagnose FROM TO` in :shell for any path.');
  }
  return {
    state: { ...state, notice: undefined },
    effects: [{ type: 'diagnose', from: failing.from, address: failing.reach, ...(failing.port !== undefined ? { port: failing.port } : {}) }],
  };
}

export function reduceMeta(state: SessionState, name: MetaCommandName): Transition {
  switch (name) {
    case 'hint':
      return showHint(state);
    case 'solution':
      return showSolution(state);
    case 'skip':
      return skip(state);
    case 'reset':
      if (state.running) return notify(state, 'A command is still running: Ctrl-C stops it first.', 'warn');
      return rebuildAt({ ...state, notice: undefined }, state.position, 'reset');
    case 'lessons':
      return same({ ...state, panel: state.panel === 'lessons' ? 'none' : 'lessons', notice: undefined });
    case 'shell':
      return handOverShell(state);
    case 'map': {
      if (!state.features.map) return notify(state, 'The map is not part of this version yet.');
      const busy = sandboxBusy(state);
      if (busy) return notify(state, busy, 'warn');
      return { state: { ...state, notice: undefined }, effects: [{ type: 'render-map' }] };
    }
    case 'why':
      return why(state);
    case 'help':
      return same({ ...state, panel: state.panel === 'help' ? 'none' : 'help', notice: undefined });
    case 'quit':
      return { state: { ...state, phase: { kind: 'quitting' } }, effects: [{ type: 'quit' }] };
  }
}
