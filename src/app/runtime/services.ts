// What the tutor's runtime needs from the world, as one small interface: the real one drives a
// sandbox (src/app/runtime/real-lab.ts), tests pass a fake. Types only.
import type { StepEvaluation } from '../../domain/lesson/types.js';
import type { CommandOutcome, EarlierEvaluation, InterruptEscalation, StepOutcome } from '../../domain/session/types.js';

export type OutputSink = (text: string, stream: 'stdout' | 'stderr') => void;

export interface TutorServices {
  /** Replace the sandbox with a fresh one at the state before (lessonId, stepIndex). */
  prepare(lessonId: string, stepIndex: number): Promise<void>;
  /** Run a command in the persistent sandbox shell, streaming its output. */
  run(command: string, onOutput: OutputSink): Promise<{ exitCode: number; outcome: CommandOutcome }>;
  /** Ctrl-C for the running command, as far as the reducer escalated it. */
  interrupt(escalation: InterruptEscalation): void;
  evaluate(lessonId: string, stepId: string): Promise<StepEvaluation>;
  /** Earlier steps of the lesson, by the checks of theirs that read state (no probes), so a step
   *  that stops holding can be named. Run after the current step's evaluation, never before it. */
  evaluateEarlier?(lessonId: string, stepIds: readonly string[]): Promise<EarlierEvaluation[]>;
  /** Run the step's solution (output streamed), then tell whether its checks hold. */
  applySolution(lessonId: string, stepId: string, onOutput: OutputSink): Promise<{ passed: boolean }>;
  /** Give the terminal to `command` (or an interactive bash) inside the sandbox; its exit status. */
  handOver(command: string | undefined): Promise<number>;
  /** The map of the sandbox's network, drawn for `width` columns (absent: no map in this build). */
  renderMap?(width: number): Promise<string>;
  /** Why `from` cannot reach the target, as text (absent: no diagnoser in this build). */
  diagnose?(from: string, target: { address: string; port?: number }): Promise<string>;
  /** Called when the kernel reports a change in the sandbox (links, addresses, routes, rules). */
  onKernelChange(listener: () => void): void;
  /** Output of background processes, arriving while no command runs. */
  onBackgroundOutput(listener: OutputSink): void;
  dispose(): Promise<void>;
}

export interface ProgressSink {
  recordStep(lessonId: string, stepId: string, outcome: StepOutcome): void | Promise<void>;
  savePosition(lessonId: string, stepId: string): void | Promise<void>;
}
