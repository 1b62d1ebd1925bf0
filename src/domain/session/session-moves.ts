// Moving through the course: to another step in the same sandbox, or to a position whose state
// is rebuilt in a fresh sandbox (resume, :reset, :lessons, a new lesson). Pure helpers for the
// reducer; each returns the next state and the effects it needs.
import { appendLines } from './output-buffer.js';
import { lessonAt, nextPosition, stepAt, stepKey } from './course-position.js';
import type { Effect, Position, SessionState, StepOutcome, Transition } from './types.js';

export type RebuildReason = 'start' | 'resume' | 'reset' | 'lesson' | 'skip';

export function preparingNote(state: SessionState, position: Position, reason: RebuildReason): string {
  const lesson = lessonAt(state.course, position);
  const step = stepAt(state.course, position);
  const where = `lesson ${lesson.number} (${lesson.title}), step ${step.number}`;
  const replays = position.stepIndex > 0 || lesson.requires !== undefined || lesson.setup !== undefined;
  switch (reason) {
    case 'start':
      return replays ? `Preparing a sandbox for ${where}: replaying what comes before it…` : 'Starting your sandbox…';
    case 'resume':
      return replays
        ? `Welcome back. Rebuilding your sandbox at ${where} by replaying the earlier steps' solutions…`
        : `Welcome back. Starting your sandbox at ${where}…`;
    case 'reset':
      return `Rebuilding the start of step ${step.number} in a fresh sandbox…`;
    case 'lesson':
      return replays ? `Setting up ${where}: replaying what comes before it…` : `Starting ${where} in a fresh sandbox…`;
    case 'skip':
      return `The solution did not fit what you had built, so ${where} is rebuilt in a fresh sandbox…`;
  }
}

function savePosition(state: SessionState, position: Position): Effect {
  return { type: 'save-position', lessonId: lessonAt(state.course, position).id, stepId: stepAt(state.course, position).id };
}

/** A fresh sandbox for `position`; results from the old one are ignored from now on. */
export function rebuildAt(state: SessionState, position: Position, reason: RebuildReason): Transition {
  const generation = state.sandboxGeneration + 1;
  const note = preparingNote(state, position, reason);
  const lesson = lessonAt(state.course, position);
  const next: SessionState = {
    ...state,
    position,
    phase: { kind: 'preparing', note },
    sandboxGeneration: generation,
    checks: undefined,
    hintsShown: 0,
    checkHintsGiven: [],
    // a fresh sandbox: its first evaluation is the new baseline
    earlierHeld: {},
    panel: 'none',
    output: appendLines(state.output, 'note', note),
  };
  const effects: Effect[] = [{ type: 'prepare-sandbox', generation, lessonId: lesson.id, stepIndex: position.stepIndex }];
  if (reason !== 'start' && reason !== 'resume') effects.unshift(savePosition(state, position));
  return { state: next, effects };
}

/** To another step of the same lesson, keeping the sandbox (its state is the step's start). */
function continueTo(state: SessionState, position: Position): Transition {
  const step = stepAt(state.course, position);
  const lesson = lessonAt(state.course, position);
  const next: SessionState = {
    ...state,
    position,
    phase: { kind: 'working' },
    checks: undefined,
    hintsShown: 0,
    checkHintsGiven: [],
    // the step just left held a moment ago (a skip whose solution did not make it hold rebuilds)
    earlierHeld: { ...state.earlierHeld, [stepAt(state.course, state.position).id]: true },
    panel: 'none',
    output: appendLines(state.output, 'note', `── Step ${step.number} of ${lesson.steps.length}: ${step.title} ──`),
  };
  return {
    state: next,
    effects: [savePosition(state, position), { type: 'evaluate-step', generation: state.sandboxGeneration, lessonId: lesson.id, stepId: step.id }],
  };
}

/** On to the step after the current one: in the same sandbox, unless a new lesson starts or
 *  `rebuild` names why a fresh one is needed. */
export function advance(state: SessionState, rebuild?: RebuildReason): Transition {
  const next = nextPosition(state.course, state.position);
  if (!next) {
    return {
      state: {
        ...state,
        // the status line says so (one place, as for a step)
        phase: { kind: 'course-complete' },
        panel: 'none',
      },
      effects: [],
    };
  }
  if (rebuild) return rebuildAt(state, next, rebuild);
  if (next.lessonIndex !== state.position.lessonIndex) return rebuildAt(state, next, 'lesson');
  return continueTo(state, next);
}

/** Records the current step's outcome in the state and asks for it to be saved. */
export function recordCurrent(state: SessionState, outcome: StepOutcome): Transition {
  const lesson = lessonAt(state.course, state.position);
  const step = stepAt(state.course, state.position);
  const key = stepKey(lesson.id, step.id);
  // a pass is never downgraded to a skip
  const kept = state.completed[key] === 'passed' ? 'passed' : outcome;
  const effects: Effect[] = [{ type: 'record-step', lessonId: lesson.id, stepId: step.id, outcome: kept }];
  // quitting now resumes at the next step
  const after = nextPosition(state.course, state.position);
  if (after) effects.push(savePosition(state, after));
  return { state: { ...state, completed: { ...state.completed, [key]: kept } }, effects };
}
