// How the runtime carries out each effect the session reducer asks for: one small function per
// effect type, each turning a service's result back into events. The runtime (session-runtime.ts)
// owns the state and the loop; this file owns what every effect means in the world.
import { AbortError } from '../../domain/errors.js';
import type { Effect, SessionEvent, SessionState } from '../../domain/session/types.js';
import type { EvaluationScheduler } from './evaluation-scheduler.js';
import type { OutputBatcher } from './output-batcher.js';
import type { ProgressSink, TutorServices } from './services.js';

/** What an effect handler may use: the services, the current state, and a way to report back. */
export interface EffectContext {
  services: TutorServices;
  progress: ProgressSink;
  state(): SessionState;
  dispatch(event: SessionEvent): void;
  output: OutputBatcher;
  scheduler: EvaluationScheduler;
  suspendUi<T>(f: () => Promise<T>): Promise<T>;
  columns?: () => number;
  /** Sandboxes are prepared one after another, a superseded one skipped. */
  enqueuePrepare(job: () => Promise<void>): void;
  quit(): void;
}

/** What went wrong, with the next step when the error carries one (an AbortError's fix: the
 *  sudo and sysctl lines for a distribution that forbids user namespaces), as the CLI says it. */
export function describeFailure(e: unknown): string {
  if (e instanceof AbortError) return e.next ? `${e.message}\n${e.next}` : e.message;
  return e instanceof Error ? e.message : String(e);
}

const errorNotice = (ctx: EffectContext, text: string) => ctx.dispatch({ type: 'notice-posted', notice: { tone: 'error', text } });

type Handler<T extends Effect['type']> = (effect: Extract<Effect, { type: T }>, ctx: EffectContext) => void;
type Handlers = { [T in Effect['type']]: Handler<T> };

const prepareSandbox: Handler<'prepare-sandbox'> = ({ generation, lessonId, stepIndex }, ctx) =>
  ctx.enqueuePrepare(async () => {
    if (generation !== ctx.state().sandboxGeneration) return; // superseded before it started
    try {
      await ctx.services.prepare(lessonId, stepIndex);
      ctx.dispatch({ type: 'sandbox-ready', generation });
    } catch (e) {
      ctx.dispatch({ type: 'sandbox-failed', generation, message: describeFailure(e) });
    }
  });

const runCommand: Handler<'run-command'> = ({ command }, ctx) =>
  void ctx.services.run(command, ctx.output.push).then(
    (r) => {
      ctx.output.flush();
      ctx.dispatch({ type: 'command-finished', exitCode: r.exitCode, outcome: r.outcome });
    },
    (e: unknown) => {
      ctx.output.flush();
      ctx.dispatch({ type: 'output-received', text: `${describeFailure(e)}\n`, stream: 'stderr' });
      ctx.dispatch({ type: 'command-finished', exitCode: 127, outcome: 'exited' });
    },
  );

const applySolution: Handler<'apply-solution'> = ({ generation, lessonId, stepId }, ctx) =>
  void ctx.services.applySolution(lessonId, stepId, ctx.output.push).then(
    (r) => {
      ctx.output.flush();
      ctx.dispatch({ type: 'solution-applied', generation, lessonId, stepId, passed: r.passed });
    },
    (e: unknown) => {
      ctx.output.flush();
      ctx.dispatch({ type: 'output-received', text: `${describeFailure(e)}\n`, stream: 'stderr' });
      ctx.dispatch({ type: 'solution-applied', generation, lessonId, stepId, passed: false });
    },
  );

const handOver: Handler<'hand-over'> = ({ command }, ctx) =>
  void ctx.suspendUi(() => ctx.services.handOver(command)).then(
    (exitCode) => ctx.dispatch({ type: 'hand-over-finished', exitCode }),
    (e: unknown) => {
      ctx.dispatch({ type: 'hand-over-finished', exitCode: 127 });
      errorNotice(ctx, `Could not hand over the terminal: ${describeFailure(e)}`);
    },
  );

const renderMap: Handler<'render-map'> = (_effect, ctx) => {
  if (!ctx.services.renderMap) return;
  // the output area is one column narrower than the terminal (see tui/app.tsx)
  void ctx.services.renderMap((ctx.columns?.() ?? 80) - 1).then(
    (text) => ctx.dispatch({ type: 'report-rendered', heading: 'The network in your sandbox now:', text }),
    (e: unknown) => errorNotice(ctx, `The map could not be drawn: ${describeFailure(e)}`),
  );
};

const diagnose: Handler<'diagnose'> = ({ from, address, port }, ctx) => {
  if (!ctx.services.diagnose) return;
  const where = `${from} → ${address}${port === undefined ? '' : `:${port}`}`;
  ctx.dispatch({ type: 'notice-posted', notice: { tone: 'info', text: `Following the packets ${where}…` } });
  void ctx.services.diagnose(from, port === undefined ? { address } : { address, port }).then(
    (text) => {
      ctx.dispatch({ type: 'notice-posted', notice: undefined });
      ctx.dispatch({ type: 'report-rendered', heading: `Why ${where}:`, text });
    },
    (e: unknown) => errorNotice(ctx, `The diagnosis could not run: ${describeFailure(e)}`),
  );
};

const saveProgress = (write: (p: ProgressSink) => void, ctx: EffectContext) =>
  void Promise.resolve()
    .then(() => write(ctx.progress))
    .catch((e: unknown) => errorNotice(ctx, `Your progress could not be saved: ${describeFailure(e)}`));

const HANDLERS: Handlers = {
  'prepare-sandbox': prepareSandbox,
  'run-command': runCommand,
  'interrupt-command': ({ escalation }, ctx) => ctx.services.interrupt(escalation),
  'evaluate-step': (_effect, ctx) => ctx.scheduler.request('now'),
  'apply-solution': applySolution,
  'hand-over': handOver,
  'render-map': renderMap,
  diagnose,
  'record-step': ({ lessonId, stepId, outcome }, ctx) => saveProgress((p) => p.recordStep(lessonId, stepId, outcome), ctx),
  'save-position': ({ lessonId, stepId }, ctx) => saveProgress((p) => p.savePosition(lessonId, stepId), ctx),
  quit: (_effect, ctx) => ctx.quit(),
};

export function runEffect(effect: Effect, ctx: EffectContext): void {
  (HANDLERS[effect.type] as (e: Effect, c: EffectContext) => void)(effect, ctx);
}
