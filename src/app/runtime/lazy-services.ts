// TutorServices whose implementation is imported on first use: the sandbox, the command runner
// (execa), the checks and the snapshot code load while the first frame is already on screen.
import type { OutputSink, TutorServices } from './services.js';

export function lazyServices(load: () => Promise<TutorServices>): TutorServices {
  let loaded: Promise<TutorServices> | undefined;
  const kernelListeners: Array<() => void> = [];
  const backgroundListeners: OutputSink[] = [];
  const get = () =>
    (loaded ??= load().then((s) => {
      s.onKernelChange(() => kernelListeners.forEach((l) => l()));
      s.onBackgroundOutput((text, stream) => backgroundListeners.forEach((l) => l(text, stream)));
      return s;
    }));
  let ready: TutorServices | undefined;
  void get().then(
    (s) => (ready = s),
    () => {
      // reported by the first call that needs it
    },
  );
  return {
    prepare: async (lessonId, stepIndex) => (await get()).prepare(lessonId, stepIndex),
    run: async (command, onOutput) => (await get()).run(command, onOutput),
    interrupt: (escalation) => ready?.interrupt(escalation),
    evaluate: async (lessonId, stepId) => (await get()).evaluate(lessonId, stepId),
    evaluateEarlier: async (lessonId, stepIds) => (await get()).evaluateEarlier?.(lessonId, stepIds) ?? [],
    applySolution: async (lessonId, stepId, onOutput) => (await get()).applySolution(lessonId, stepId, onOutput),
    handOver: async (command) => (await get()).handOver(command),
    renderMap: async (width) => {
      const s = await get();
      if (!s.renderMap) throw new Error('the map is not part of this build');
      return s.renderMap(width);
    },
    diagnose: async (from, target) => {
      const s = await get();
      if (!s.diagnose) throw new Error('the diagnoser is not part of this build');
      return s.diagnose(from, target);
    },
    onKernelChange: (listener) => kernelListeners.push(listener),
    onBackgroundOutput: (listener) => backgroundListeners.push(listener),
    dispose: async () => {
      if (loaded) await loaded.then((s) => s.dispose(), () => {});
    },
  };
}
