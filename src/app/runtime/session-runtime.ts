// The imperative shell around the session reducer: holds the state outside React (so Ink can be
// unmounted for a terminal hand-over and mounted again), runs the effects the reducer asks for
// through TutorServices, and turns their results back into events.
import { AbortError } from '../../domain/errors.js';
import { stepAt } from '../../domain/session/course-position.js';
import { reduceSession } from '../../domain/session/reduce-session.js';
import { watchedEarlierSteps } from '../../domain/session/regressions.js';
import type { Effect, SessionEvent, SessionState, Transition } from '../../domain/session/types.js';
import { createEvaluationScheduler } from './evaluation-scheduler.js';
import { createOutputBatcher } from './output-batcher.js';
import type { ProgressSink, TutorServices } from './services.js';

export interface SessionRuntime {
  getState(): SessionState;
  subscribe(listener: () => void): () => void;
  dispatch(event: SessionEvent): void;
  /** Resolves when the learner quits. */
  readonly done: Promise<void>;
  dispose(): void;
}

export interface RuntimeDeps {
  services: TutorServices;
  progress: ProgressSink;
  /** Runs `f` while the terminal is handed over (Ink unmounted); identity in tests. */
  suspendUi?: <T>(f: () => Promise<T>) => Promise<T>;
  columns?: () => number;
  /** Re-check this often while idle (named namespaces are not covered by `ip monitor`). */
  idleCheckMs?: number;
}

/** What went wrong, with the next step when the error carries one (an AbortError's fix: the
 *  sudo and sysctl lines for a distribution that forbids user namespaces), as the CLI says it. */
export function describeFailure(e: unknown): string {
  if (e instanceof AbortError) return e.next ? `${e.message}\n${e.next}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
const message = describeFailure;

export function createSessionRuntime(initial: Transition, deps: RuntimeDeps): SessionRuntime {
  const { services, progress } = deps;
  const suspendUi = deps.suspendUi ?? (<T>(f: () => Promise<T>) => f());
  let state = initial.state;
  const listeners = new Set<() => void>();
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let prepareChain: Promise<void> = Promise.resolve();

  const dispatch = (event: SessionEvent) => {
    const t = reduceSession(state, event);
    if (t.state !== state) {
      state = t.state;
      for (const l of listeners) l();
    }
    for (const e of t.effects) run(e);
  };

  const output = createOutputBatcher((text, stream) => dispatch({ type: 'output-received', text, stream }));
  services.onBackgroundOutput((text, stream) => output.push(text, stream));

  const evaluateNow = async () => {
    if (state.phase.kind !== 'working' && state.phase.kind !== 'step-complete') return;
    const generation = state.sandboxGeneration;
    const lesson = state.course.lessons[state.position.lessonIndex]!;
    const step = stepAt(state.course, state.position);
    try {
      const r = await services.evaluate(lesson.id, step.id);
      dispatch({ type: 'checks-evaluated', generation, lessonId: lesson.id, stepId: step.id, results: r.results, passed: r.passed });
    } catch (e) {
      dispatch({ type: 'checks-failed', generation, message: message(e) });
      return;
    }
    // the earlier steps after the current one's result is on screen: its feedback never waits
    const earlier = watchedEarlierSteps(state);
    if (earlier.length === 0 || !services.evaluateEarlier || generation !== state.sandboxGeneration) return;
    try {
      dispatch({ type: 'earlier-steps-evaluated', generation, lessonId: lesson.id, earlier: await services.evaluateEarlier(lesson.id, earlier) });
    } catch {
      // the current step's own evaluation reports a sandbox that cannot be read
    }
  };
  const scheduler = createEvaluationScheduler(evaluateNow);
  services.onKernelChange(() => scheduler.request('debounced'));
  const idle = setInterval(() => {
    if (state.phase.kind === 'working' && !state.running) scheduler.request('now');
  }, deps.idleCheckMs ?? 2000);
  idle.unref();

  const notice = (text: string) => dispatch({ type: 'notice-posted', notice: { tone: 'error', text } });

  function run(effect: Effect): void {
    switch (effect.type) {
      case 'prepare-sandbox': {
        const { generation, lessonId, stepIndex } = effect;
        prepareChain = prepareChain.then(async () => {
          if (generation !== state.sandboxGeneration) return; // superseded before it started
          try {
            await services.prepare(lessonId, stepIndex);
            dispatch({ type: 'sandbox-ready', generation });
          } catch (e) {
            dispatch({ type: 'sandbox-failed', generation, message: message(e) });
          }
        });
        return;
      }
      case 'run-command':
        services.run(effect.command, output.push).then(
          (r) => {
            output.flush();
            dispatch({ type: 'command-finished', exitCode: r.exitCode, outcome: r.outcome });
          },
          (e: unknown) => {
            output.flush();
            dispatch({ type: 'output-received', text: `${message(e)}\n`, stream: 'stderr' });
            dispatch({ type: 'command-finished', exitCode: 127, outcome: 'exited' });
          },
        );
        return;
      case 'interrupt-command':
        services.interrupt(effect.escalation);
        return;
      case 'evaluate-step':
        scheduler.request('now');
        return;
      case 'apply-solution': {
        const { generation, lessonId, stepId } = effect;
        services.applySolution(lessonId, stepId, output.push).then(
          (r) => {
            output.flush();
            dispatch({ type: 'solution-applied', generation, lessonId, stepId, passed: r.passed });
          },
          (e: unknown) => {
            output.flush();
            dispatch({ type: 'output-received', text: `${message(e)}\n`, stream: 'stderr' });
            dispatch({ type: 'solution-applied', generation, lessonId, stepId, passed: false });
          },
        );
        return;
      }
      case 'hand-over':
        suspendUi(() => services.handOver(effect.command)).then(
          (exitCode) => dispatch({ type: 'hand-over-finished', exitCode }),
          (e: unknown) => {
            dispatch({ type: 'hand-over-finished', exitCode: 127 });
            notice(`Could not hand over the terminal: ${message(e)}`);
          },
        );
        return;
      case 'render-map':
        if (!services.renderMap) return;
        // the output area is one column narrower than the terminal (see app.tsx)
        services.renderMap((deps.columns?.() ?? 80) - 1).then(
          (text) => dispatch({ type: 'report-rendered', heading: 'The network in your sandbox now:', text }),
          (e: unknown) => notice(`The map could not be drawn: ${message(e)}`),
        );
        return;
      case 'diagnose': {
        if (!services.diagnose) return;
        const { from, address, port } = effect;
        const where = `${from} → ${address}${port === undefined ? '' : `:${port}`}`;
        dispatch({ type: 'notice-posted', notice: { tone: 'info', text: `Following the packets ${where}…` } });
        services.diagnose(from, port === undefined ? { address } : { address, port }).then(
          (text) => {
            dispatch({ type: 'notice-posted', notice: undefined });
            dispatch({ type: 'report-rendered', heading: `Why ${where}:`, text });
          },
          (e: unknown) => notice(`The diagnosis could not run: ${message(e)}`),
        );
        return;
      }
      case 'record-step':
      case 'save-position':
        Promise.resolve()
          .then(() =>
            effect.type === 'record-step' ? progress.recordStep(effect.lessonId, effect.stepId, effect.outcome) : progress.savePosition(effect.lessonId, effect.stepId),
          )
          .catch((e: unknown) => notice(`Your progress could not be saved: ${message(e)}`));
        return;
      case 'quit':
        resolveDone();
        return;
    }
  }

  // the effects of the initial transition (the first sandbox)
  queueMicrotask(() => {
    for (const e of initial.effects) run(e);
  });

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch,
    done,
    dispose() {
      clearInterval(idle);
      scheduler.dispose();
      output.dispose();
    },
  };
}
