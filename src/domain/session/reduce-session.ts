// The tutor session's one state machine: every event (typed input, command output, check
// results, sandbox readiness, keys) goes through reduceSession, which returns the next state and
// the effects to run. Pure: the UI runs the effects and dispatches their results as events.
import { parseInput, type Features } from './command-table.js';
import { lessonAt, stepAt, type SavedPosition } from './course-position.js';
import { detectInteractive, isShellExit } from './interactive-commands.js';
import { isIncomplete } from './shell-syntax.js';
import { appendLines, appendText, closePartial, emptyOutput, nextLineNumber, noteReady } from './output-buffer.js';
import { reduceMeta } from './reduce-meta.js';
import { currentStepStopped, noteEarlierSteps } from './regressions.js';
import { advance, rebuildAt, recordCurrent } from './session-moves.js';
import type { Course } from '../lesson/types.js';
import type { CompletedSteps, InterruptEscalation, Notice, Position, SessionEvent, SessionState, Transition } from './types.js';

export interface SessionStart {
  course: Course;
  position: Position;
  completed: CompletedSteps;
  features: Features;
  /** True when the position came from saved progress. */
  resumed: boolean;
  /** Shown once at the start (a corrupt progress file, a moved step). */
  notices?: Notice[];
  history?: string[];
}

export function startSession(start: SessionStart): Transition {
  let output = emptyOutput;
  for (const n of start.notices ?? []) output = appendLines(output, n.tone === 'error' || n.tone === 'warn' ? 'error' : 'note', n.text);
  const state: SessionState = {
    course: start.course,
    position: start.position,
    phase: { kind: 'preparing', note: '' },
    checks: undefined,
    sandboxGeneration: 0,
    hintsShown: 0,
    checkHintsGiven: [],
    earlierHeld: {},
    readFrom: undefined,
    panel: 'none',
    output,
    running: undefined,
    interrupts: 0,
    queued: [],
    continuation: undefined,
    advancePending: false,
    history: start.history ?? [],
    notice: undefined,
    quitArmed: false,
    completed: start.completed,
    features: start.features,
  };
  return rebuildAt(state, start.position, start.resumed ? 'resume' : 'start');
}

export type { SavedPosition };

const same = (state: SessionState): Transition => ({ state, effects: [] });

function currentIds(state: SessionState): { lessonId: string; stepId: string } {
  return { lessonId: lessonAt(state.course, state.position).id, stepId: stepAt(state.course, state.position).id };
}

function evaluate(state: SessionState): Transition {
  return { state, effects: [{ type: 'evaluate-step', generation: state.sandboxGeneration, ...currentIds(state) }] };
}

function pushHistory(history: string[], line: string): string[] {
  if (history[history.length - 1] === line) return history;
  const next = [...history, line];
  return next.length > 500 ? next.slice(next.length - 500) : next;
}

const MAX_QUEUED = 50;

/** A command waits its turn: the shell is busy, or the sandbox is not there yet. */
function enqueue(state: SessionState, command: string): Transition {
  if (state.queued.length >= MAX_QUEUED) return same({ ...state, notice: { tone: 'warn', text: `${MAX_QUEUED} commands are already waiting; this one was not added.` } });
  return same({ ...state, queued: [...state.queued, command] });
}

/** Phases in which the shell can take the next command. */
const canRun = (state: SessionState) =>
  !state.running && (state.phase.kind === 'working' || state.phase.kind === 'step-complete' || state.phase.kind === 'course-complete');

function submitCommand(state: SessionState, command: string): Transition {
  switch (state.phase.kind) {
    case 'preparing':
    case 'skipping':
      return enqueue(state, command);
    case 'broken':
      return same({ ...state, notice: { tone: 'error', text: 'The sandbox is not available. Try :reset, or :quit.' } });
    case 'handed-over':
    case 'quitting':
      return same(state);
    default:
  }
  if (state.running || state.queued.length > 0) return enqueue(state, command);
  if (isShellExit(command)) {
    return same({ ...state, notice: { tone: 'info', text: 'This prompt is the tutor itself: :quit leaves it, :shell opens a bash you can exit.' } });
  }
  const output = appendLines(state.output, 'command', command.split('\n').map((line, i) => `${i === 0 ? '$' : '>'} ${line}`).join('\n'));
  const interactive = detectInteractive(command);
  if (interactive) {
    const returnTo = state.phase.kind === 'working' ? 'working' : state.phase.kind;
    return {
      state: {
        ...state,
        output: appendLines(output, 'note', `${interactive.reason}: it gets the whole terminal until it ends, then you are back here.`),
        phase: { kind: 'handed-over', what: command, returnTo },
        notice: undefined,
      },
      effects: [{ type: 'hand-over', command }],
    };
  }
  return { state: { ...state, output, running: command, interrupts: 0, notice: undefined }, effects: [{ type: 'run-command', command }] };
}

/** A line that continues an unfinished command; the whole runs once bash would run it. */
function continueCommand(state: SessionState, line: string): Transition {
  const combined = `${state.continuation ?? ''}\n${line}`;
  if (isIncomplete(combined)) return same({ ...state, continuation: combined, quitArmed: false });
  return submitCommand({ ...state, continuation: undefined, quitArmed: false, history: pushHistory(state.history, combined) }, combined);
}

function submit(state: SessionState, text: string): Transition {
  if (state.continuation !== undefined) return continueCommand(state, text);
  const parsed = parseInput(text, state.features);
  const base: SessionState = { ...state, quitArmed: false, history: parsed.kind === 'empty' ? state.history : pushHistory(state.history, text.trim()) };
  switch (parsed.kind) {
    case 'empty':
      if (base.phase.kind !== 'step-complete') return same({ ...base, notice: undefined });
      if (base.running || base.queued.length > 0) return same({ ...base, advancePending: true, notice: { tone: 'info', text: 'On to the next step as soon as the running command ends.' } });
      return advance({ ...base, notice: undefined });
    case 'meta':
      return reduceMeta(base, parsed.name);
    case 'unknown-meta':
      return same({
        ...base,
        notice: { tone: 'warn', text: `There is no ${parsed.text}${parsed.suggestion ? ` (did you mean :${parsed.suggestion}?)` : ''}. :help lists the commands.` },
      });
    case 'command':
      if (isIncomplete(parsed.command)) return same({ ...state, quitArmed: false, continuation: parsed.command, notice: undefined });
      return submitCommand(base, parsed.command);
  }
}

function checksArrived(state: SessionState, event: Extract<SessionEvent, { type: 'checks-evaluated' }>): Transition {
  const ids = currentIds(state);
  if (event.generation !== state.sandboxGeneration || event.lessonId !== ids.lessonId || event.stepId !== ids.stepId) return same(state);
  if (state.phase.kind !== 'working' && state.phase.kind !== 'step-complete') return same(state);
  const withChecks = { ...state, checks: event.results };
  if (state.phase.kind === 'step-complete') return same(event.passed ? withChecks : currentStepStopped(withChecks, event.results));
  if (!event.passed) return same(withChecks);
  // the moment itself is the status line's (one place, not two)
  const recorded = recordCurrent(withChecks, 'passed');
  return { state: { ...recorded.state, phase: { kind: 'step-complete' }, notice: undefined }, effects: recorded.effects };
}

/** The one place that decides what the n-th Ctrl-C for one running command does: SIGINT first,
 *  then SIGKILL, then a new shell. */
export function interruptEscalation(presses: number): InterruptEscalation {
  return presses <= 1 ? 'interrupt' : presses === 2 ? 'kill' : 'new-shell';
}

function interrupt(state: SessionState): Transition {
  if (state.phase.kind === 'handed-over' || state.phase.kind === 'quitting') return same(state);
  if (state.running) {
    const interrupts = state.interrupts + 1;
    const dropped = state.queued.length > 0 ? `${state.queued.length} waiting command${state.queued.length === 1 ? '' : 's'} dropped. ` : '';
    const notice =
      interrupts === 2
        ? { tone: 'warn' as const, text: `${dropped}Still running? It was killed (SIGKILL); one more Ctrl-C replaces the shell (its variables are lost).` }
        : dropped
          ? { tone: 'info' as const, text: dropped.trim() }
          : state.notice;
    return { state: { ...state, interrupts, notice, queued: [] }, effects: [{ type: 'interrupt-command', escalation: interruptEscalation(interrupts) }] };
  }
  if (state.continuation !== undefined) return same({ ...state, continuation: undefined, notice: { tone: 'info', text: 'The unfinished command was cancelled.' } });
  if (state.queued.length > 0) return same({ ...state, queued: [], notice: { tone: 'info', text: 'The waiting commands were dropped.' } });
  if (state.panel !== 'none') return same({ ...state, panel: 'none' });
  if (state.quitArmed) return { state: { ...state, phase: { kind: 'quitting' } }, effects: [{ type: 'quit' }] };
  return same({ ...state, quitArmed: true, notice: { tone: 'info', text: 'Press Ctrl-C again to quit (your progress is saved), or type :quit.' } });
}

/** Starts the next waiting command when the shell is free (after any event), and moves on to
 *  the next step once it is all done if the learner asked to. */
function runQueued(t: Transition): Transition {
  let { state } = t;
  const effects = [...t.effects];
  while (canRun(state) && state.queued.length > 0) {
    const [next, ...rest] = state.queued;
    const started = submitCommand({ ...state, queued: [] }, next!);
    state = { ...started.state, queued: rest };
    effects.push(...started.effects);
  }
  if (state.advancePending && (state.phase.kind !== 'step-complete' || (canRun(state) && state.queued.length === 0))) {
    const cleared = { ...state, advancePending: false };
    if (state.phase.kind !== 'step-complete') state = cleared;
    else {
      const moved = advance({ ...cleared, notice: undefined });
      state = moved.state;
      effects.push(...moved.effects);
    }
  }
  return state === t.state ? t : { state, effects };
}

/** A map or diagnosis under its heading; the pane opens at the heading. */
function withReport(state: SessionState, heading: string, text: string): SessionState {
  const closed = closePartial(state.output);
  return { ...state, readFrom: nextLineNumber(closed), output: appendLines(appendLines(closed, 'note', heading), 'report', text.trimEnd()) };
}

export function reduceSession(state: SessionState, event: SessionEvent): Transition {
  return runQueued(reduceEvent(state, event));
}

function reduceEvent(state: SessionState, event: SessionEvent): Transition {
  switch (event.type) {
    case 'sandbox-ready':
      if (event.generation !== state.sandboxGeneration || state.phase.kind !== 'preparing') return same(state);
      return evaluate({ ...state, phase: { kind: 'working' }, output: noteReady(state.output, state.phase.note) });
    case 'sandbox-failed':
      if (event.generation !== state.sandboxGeneration) return same(state);
      return same({
        ...state,
        phase: { kind: 'broken', message: event.message },
        // the reason and its fix may take more rows than the pane: open at their first line
        readFrom: nextLineNumber(closePartial(state.output)),
        output: appendLines(state.output, 'error', event.message),
        notice: { tone: 'error', text: 'The sandbox could not be prepared. :reset tries again, :skip moves on, :quit leaves.' },
      });
    case 'input-submitted':
      return submit(state, event.text);
    case 'output-received':
      return same({ ...state, output: appendText(state.output, event.text, event.stream) });
    case 'command-finished': {
      let output = closePartial(state.output);
      if (event.outcome === 'interrupted') output = appendLines(output, 'note', '^C (stopped)');
      else if (event.outcome === 'shell-exited') output = appendLines(output, 'error', 'The sandbox shell ended; a new one was started (shell variables are gone).');
      else if (event.exitCode !== 0) output = appendLines(output, 'note', `(exit status ${event.exitCode})`);
      const next = { ...state, running: undefined, interrupts: 0, output, notice: state.interrupts >= 2 ? undefined : state.notice };
      return next.phase.kind === 'working' || next.phase.kind === 'step-complete' ? evaluate(next) : same(next);
    }
    case 'checks-evaluated':
      return checksArrived(state, event);
    case 'earlier-steps-evaluated':
      if (event.generation !== state.sandboxGeneration || event.lessonId !== currentIds(state).lessonId) return same(state);
      if (state.phase.kind !== 'working' && state.phase.kind !== 'step-complete') return same(state);
      return same(noteEarlierSteps(state, event.earlier));
    case 'checks-failed': {
      if (event.generation !== state.sandboxGeneration) return same(state);
      const text = `The checks could not run: ${event.message.split('\n')[0]!}`;
      // the idle re-check fails the same way every few seconds: say it once
      if (state.notice?.text === text) return same(state);
      return same({
        ...state,
        // the notice shows the first rows; the whole reason (and any fix) goes to the output
        readFrom: nextLineNumber(closePartial(state.output)),
        output: appendLines(state.output, 'error', `The checks could not run: ${event.message}`),
        notice: { tone: 'error', text },
      });
    }
    case 'solution-applied': {
      const ids = currentIds(state);
      if (event.generation !== state.sandboxGeneration || event.lessonId !== ids.lessonId || event.stepId !== ids.stepId) return same(state);
      if (state.phase.kind !== 'skipping') return same(state);
      const recorded = recordCurrent(state, 'skipped');
      const moved = advance(recorded.state, event.passed ? undefined : 'skip');
      return { state: moved.state, effects: [...recorded.effects, ...moved.effects] };
    }
    case 'hand-over-finished': {
      if (state.phase.kind !== 'handed-over') return same(state);
      const back = { ...state, phase: { kind: state.phase.returnTo } as SessionState['phase'] };
      const note = state.phase.what === 'bash' ? 'Back in the tutor.' : `Back in the tutor (exit status ${event.exitCode}).`;
      return evaluate({ ...back, output: appendLines(back.output, 'note', note) });
    }
    case 'interrupt-pressed':
      return interrupt(state);
    case 'escape-pressed':
      return same({ ...state, panel: 'none', quitArmed: false, notice: undefined });
    case 'lesson-picked': {
      if (!state.course.lessons[event.lessonIndex]?.steps.length) return same({ ...state, panel: 'none' });
      if (state.running) return same({ ...state, panel: 'none', notice: { tone: 'warn', text: 'A command is still running: Ctrl-C stops it first.' } });
      return rebuildAt({ ...state, notice: undefined }, { lessonIndex: event.lessonIndex, stepIndex: 0 }, 'lesson');
    }
    case 'report-rendered':
      return same(withReport(state, event.heading, event.text));
    case 'output-cleared':
      return same({ ...state, output: emptyOutput, readFrom: undefined });
    case 'notice-posted':
      return same({ ...state, notice: event.notice });
  }
}
