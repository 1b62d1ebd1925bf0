// The imperative shell around the session reducer: holds the state outside React (so Ink can be
// unmounted for a terminal hand-over and mounted again), runs the effects the reducer asks for
// through TutorServices, and turns their results back into events.
import { stepAt } from '../../domain/session/course-position.js';
import { reduceSession } from '../../domain/session/reduce-session.js';
import { watchedEarlierSteps } from '../../domain/session/regressions.js';
import type { SessionEvent, SessionState, Transition } from '../../domain/session/types.js';
import { describeFailure, runEffect, type EffectContext } from './effect-handlers.js';
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

/** Evaluates the current step, then the earlier steps it watches (for regressions), reporting
 *  each as an event; a sandbox replaced meanwhile makes the results stale (the generation). */
async function evaluateCurrentStep(services: TutorServices, state: () => SessionState, dispatch: (e: SessionEvent) => void): Promise<void> {
  const at = state();
  if (at.phase.kind !== 'working' && at.phase.kind !== 'step-complete') return;
  const generation = at.sandboxGeneration;
  const lesson = at.course.lessons[at.position.lessonIndex]!;
  const step = stepAt(at.course, at.position);
  try {
    const r = await services.evaluate(lesson.id, step.id);
    dispatch({ type: 'checks-evaluated', generation, lessonId: lesson.id, stepId: step.id, results: r.results, passed: r.passed });
  } catch (e) {
    dispatch({ type: 'checks-failed', generation, message: describeFailure(e) });
    return;
  }
  // the earlier steps after the current one's result is on screen: its feedback never waits
  const earlier = watchedEarlierSteps(state());
  if (earlier.length === 0 || !services.evaluateEarlier || generation !== state().sandboxGeneration) return;
  try {
    dispatch({ type: 'earlier-steps-evaluated', generation, lessonId: lesson.id, earlier: await services.evaluateEarlier(lesson.id, earlier) });
  } catch {
    // the current step's own evaluation reports a sandbox that cannot be read
  }
}

export function createSessionRuntime(initial: Transition, deps: RuntimeDeps): SessionRuntime {
  const { services } = deps;
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
    for (const e of t.effects) runEffect(e, ctx);
  };

  const output = createOutputBatcher((text, stream) => dispatch({ type: 'output-received', text, stream }));
  services.onBackgroundOutput((text, stream) => output.push(text, stream));
  const scheduler = createEvaluationScheduler(() => evaluateCurrentStep(services, () => state, dispatch));
  services.onKernelChange(() => scheduler.request('debounced'));
  const idle = setInterval(() => {
    if (state.phase.kind === 'working' && !state.running) scheduler.request('now');
  }, deps.idleCheckMs ?? 2000);
  idle.unref();

  const ctx: EffectContext = {
    services,
    progress: deps.progress,
    state: () => state,
    dispatch,
    output,
    scheduler,
    suspendUi: deps.suspendUi ?? ((f) => f()),
    ...(deps.columns ? { columns: deps.columns } : {}),
    enqueuePrepare: (job) => (prepareChain = prepareChain.then(job)),
    quit: () => resolveDone(),
  };

  // the effects of the initial transition (the first sandbox)
  queueMicrotask(() => {
    for (const e of initial.effects) runEffect(e, ctx);
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
