// The tutor session's data: its state, the events it reacts to and the effects it asks for.
// Pure types; reduceSession (reduce-session.ts) is the one state machine over them.
import type { CheckResult, Course } from '../lesson/types.js';
import type { Features } from './command-table.js';
import type { OutputBuffer } from './output-buffer.js';

/** 0-based indices into course.lessons and that lesson's steps. */
export interface Position {
  lessonIndex: number;
  stepIndex: number;
}

export type StepOutcome = 'passed' | 'skipped';

/** What the learner has done, keyed by `lessonId/stepId`. */
export type CompletedSteps = Readonly<Record<string, StepOutcome>>;

export type Phase =
  /** A fresh sandbox is being built and brought to the step's start state. */
  | { kind: 'preparing'; note: string }
  /** The learner works on the step. */
  | { kind: 'working' }
  /** :skip is applying the step's solution. */
  | { kind: 'skipping' }
  /** All checks held: the learner confirms with Enter before moving on. */
  | { kind: 'step-complete' }
  | { kind: 'course-complete' }
  /** The terminal belongs to a real bash (:shell) or an interactive command. */
  | { kind: 'handed-over'; what: string; returnTo: 'working' | 'step-complete' | 'course-complete' }
  /** The sandbox could not be built; only :quit (and :reset, :lessons to retry) make sense. */
  | { kind: 'broken'; message: string }
  | { kind: 'quitting' };

export type Panel = 'none' | 'help' | 'lessons';

export type NoticeTone = 'info' | 'warn' | 'error' | 'success';

export interface Notice {
  text: string;
  tone: NoticeTone;
}

export interface SessionState {
  course: Course;
  position: Position;
  phase: Phase;
  /** The latest evaluation of the current step's checks (undefined until the first arrives). */
  checks: CheckResult[] | undefined;
  /** Bumped whenever a new sandbox is asked for; results from older sandboxes are ignored. */
  sandboxGeneration: number;
  hintsShown: number;
  /** Failing checks whose own hint :hint has already given for this step (by check name). */
  checkHintsGiven: readonly string[];
  /** Whether each earlier step of this lesson (by step id) held at the latest evaluation, so the
   *  tutor can say when one stops holding and when it holds again. */
  earlierHeld: Readonly<Record<string, boolean>>;
  /** The output line a report or a long message starts at: the output pane opens there, so its
   *  first line is in view however long it is (see nextLineNumber in output-buffer.ts). */
  readFrom: number | undefined;
  panel: Panel;
  output: OutputBuffer;
  /** The command running in the sandbox shell, if any. */
  running: string | undefined;
  /** Ctrl-C presses for the running command (see interruptEscalation). */
  interrupts: number;
  /** Commands typed (or pasted) while another ran or the sandbox was being prepared; they run
   *  in order as soon as the shell is free, as typed-ahead lines do in a terminal. */
  queued: string[];
  /** The lines of an unfinished command so far (an open loop, quote, here-document...). */
  continuation: string | undefined;
  /** Enter was pressed on a completed step while commands were still running or waiting: move
   *  on as soon as the shell is free. */
  advancePending: boolean;
  /** Commands the learner typed, oldest first (for up/down). */
  history: string[];
  notice: Notice | undefined;
  /** Ctrl-C was pressed while idle: a second press quits. */
  quitArmed: boolean;
  completed: CompletedSteps;
  /** Optional features whose modules are present (the map, the diagnoser). */
  features: Features;
}

export interface EarlierEvaluation {
  stepId: string;
  results: CheckResult[];
  passed: boolean;
}

/** What a Ctrl-C does to the running command, decided by the reducer alone (interruptEscalation):
 *  'interrupt' SIGINT to what the command started, as a terminal's Ctrl-C; 'kill' SIGKILL to it
 *  (it ignored SIGINT); 'new-shell' the shell itself is replaced (whatever holds it, a `read`, a
 *  foreground job of a nested shell, ends with it; its variables are lost). */
export type InterruptEscalation = 'interrupt' | 'kill' | 'new-shell';

export type CommandOutcome = 'exited' | 'interrupted' | 'shell-exited';

export type SessionEvent =
  | { type: 'sandbox-ready'; generation: number }
  | { type: 'sandbox-failed'; generation: number; message: string }
  /** The learner pressed Enter on the prompt (text may be empty). */
  | { type: 'input-submitted'; text: string }
  /** Batched command output (already decoded). */
  | { type: 'output-received'; text: string; stream: 'stdout' | 'stderr' }
  | { type: 'command-finished'; exitCode: number; outcome: CommandOutcome }
  | {
      type: 'checks-evaluated';
      generation: number;
      lessonId: string;
      stepId: string;
      results: CheckResult[];
      passed: boolean;
    }
  /** The watched earlier steps of the lesson (see watchedEarlierSteps), evaluated after it. */
  | { type: 'earlier-steps-evaluated'; generation: number; lessonId: string; earlier: EarlierEvaluation[] }
  | { type: 'checks-failed'; generation: number; message: string }
  | { type: 'solution-applied'; generation: number; lessonId: string; stepId: string; passed: boolean }
  | { type: 'hand-over-finished'; exitCode: number }
  | { type: 'interrupt-pressed' }
  | { type: 'escape-pressed' }
  | { type: 'lesson-picked'; lessonIndex: number }
  /** A map or a diagnosis to show in the output, under a heading. */
  | { type: 'report-rendered'; heading: string; text: string }
  | { type: 'output-cleared' }
  | { type: 'notice-posted'; notice: Notice | undefined };

export type Effect =
  /** Replace the sandbox with a fresh one brought to the state before (lessonId, stepIndex). */
  | { type: 'prepare-sandbox'; generation: number; lessonId: string; stepIndex: number }
  | { type: 'run-command'; command: string }
  | { type: 'interrupt-command'; escalation: InterruptEscalation }
  /** Ask for an evaluation of the current step (the effect runner coalesces and debounces). */
  | { type: 'evaluate-step'; generation: number; lessonId: string; stepId: string }
  | { type: 'apply-solution'; generation: number; lessonId: string; stepId: string }
  /** Hand the terminal to `command` (undefined: an interactive bash) inside the sandbox. */
  | { type: 'hand-over'; command: string | undefined }
  | { type: 'render-map' }
  /** Why `from` cannot reach the target (a failing reach check). */
  | { type: 'diagnose'; from: string; address: string; port?: number }
  | { type: 'record-step'; lessonId: string; stepId: string; outcome: StepOutcome }
  | { type: 'save-position'; lessonId: string; stepId: string }
  | { type: 'quit' };

export interface Transition {
  state: SessionState;
  effects: Effect[];
}
