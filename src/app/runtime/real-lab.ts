// The real TutorServices: one sandbox at a time (replaced by a fresh one brought to a step's
// start state), its persistent shell, a kernel watch, the course's checks, and the terminal
// hand-over. Announced in the registry so `netns-tutor shell --attach` enters the same sandbox.
import { evaluateChecksIn, evaluateStep } from '../checks/evaluate-step.js';
import { probesNeeded } from '../../domain/checks/plan-checks.js';
import { runWithTerminal } from '../../world/terminal/run-with-terminal.js';
import type { Course, Step } from '../../domain/lesson/types.js';
import { createPreparedSandbox } from '../course/prepared-sandbox.js';
import { BugError } from '../../domain/errors.js';
import { announceSandbox, withdrawSandbox } from '../../world/sandbox/registry.js';
import type { Sandbox } from '../../world/sandbox/sandbox.js';
import { quoteForShell } from '../../domain/shell-quote.js';
import type { ShellSession } from '../../world/sandbox/shell-session.js';
import type { CommandOutcome, EarlierEvaluation } from '../../domain/session/types.js';
import type { OutputSink, TutorServices } from './services.js';
import { watchKernel, type KernelWatch } from '../../world/kernel-watch.js';
import { TUTOR_BASHRC } from '../../domain/sandbox-layout.js';
import { createProbeMemo, type ProbeMemo } from '../../world/probes/probe-memo.js';

interface Current {
  sandbox: Sandbox;
  shell: ShellSession;
  watch: KernelWatch;
  /** HTTP probes' answers until the next command (the learner's server logs each GET). */
  probes: ProbeMemo;
}


export interface RealLabOptions {
  /** Written before the terminal is handed to a bash (:shell). */
  shellBanner?: string;
}

export function createRealLab(course: Course, options: RealLabOptions = {}): TutorServices {
  let current: Current | undefined;
  const kernelListeners: Array<() => void> = [];
  const backgroundListeners: OutputSink[] = [];

  const findStep = (lessonId: string, stepId: string): Step => {
    const step = course.lessons.find((l) => l.id === lessonId)?.steps.find((s) => s.id === stepId);
    if (!step) throw new BugError(`no step ${lessonId}/${stepId} in the course`);
    return step;
  };
  const need = (): Current => {
    if (!current) throw new Error('the sandbox is not ready yet');
    return current;
  };

  const openShell = async (sandbox: Sandbox): Promise<ShellSession> => {
    const shell = await sandbox.openShell();
    shell.onBackgroundOutput((text, stream) => {
      for (const l of backgroundListeners) l(text, stream);
    });
    return shell;
  };

  // Disposing kills the init at once; the namespace is gone once the kernel has reaped every
  // process in it. Nobody needs to wait for that except the final dispose.
  const retiring = new Set<Promise<void>>();
  const retire = (old: Current | undefined) => {
    if (!old) return;
    old.watch.stop();
    withdrawSandbox(old.sandbox.id);
    const done = old.sandbox.dispose().finally(() => retiring.delete(done));
    retiring.add(done);
  };

  return {
    async prepare(lessonId, stepIndex) {
      // the replay runs inside as soon as the sandbox is up (see createPreparedSandbox)
      const sandbox = await createPreparedSandbox(course, lessonId, stepIndex);
      try {
        const shell = await openShell(sandbox);
        const watch = watchKernel(sandbox.enterPrefix, sandbox.env, () => {
          for (const l of kernelListeners) l();
        });
        const old = current;
        current = { sandbox, shell, watch, probes: createProbeMemo() };
        try {
          announceSandbox({ id: sandbox.id, mode: sandbox.mode, initPid: sandbox.initPid, ownerPid: process.pid });
        } catch {
          // without the announcement only `netns-tutor shell --attach` cannot find us
        }
        retire(old);
      } catch (e) {
        await sandbox.dispose();
        throw e;
      }
    },

    async run(command, onOutput) {
      const c = need();
      c.probes.forget();
      const r = await c.shell.run(command, {
        onStdout: (t) => onOutput(t, 'stdout'),
        onStderr: (t) => onOutput(t, 'stderr'),
      });
      if (r.outcome === 'shell-exited' && current === c) c.shell = await openShell(c.sandbox);
      const outcome: CommandOutcome = r.outcome;
      return { exitCode: r.exitCode, outcome };
    },

    interrupt(escalation) {
      const c = current;
      if (!c) return;
      // how far to go is the reducer's decision (interruptEscalation); a closed shell is reopened
      // when its command returns 'shell-exited' (run, above)
      if (escalation === 'new-shell') c.shell.close();
      else c.shell.interrupt(escalation === 'kill' ? 'SIGKILL' : 'SIGINT');
    },

    evaluate(lessonId, stepId) {
      const c = need();
      return evaluateStep(c.sandbox, findStep(lessonId, stepId), { memo: c.probes });
    },

    async evaluateEarlier(lessonId, stepIds) {
      // only checks the snapshot answers: no probe traffic, no waiting on timeouts
      const watched = stepIds
        .map((id) => ({ stepId: id, checks: findStep(lessonId, id).checks.filter((c) => probesNeeded([c]).length === 0) }))
        .filter((w) => w.checks.length > 0);
      if (watched.length === 0) return [];
      const { results } = await evaluateChecksIn(need().sandbox, watched.flatMap((w) => w.checks));
      let at = 0;
      return watched.map((w): EarlierEvaluation => {
        const mine = results.slice(at, (at += w.checks.length));
        return { stepId: w.stepId, results: mine, passed: mine.every((r) => r.status === 'pass') };
      });
    },

    async applySolution(lessonId, stepId, onOutput) {
      const step = findStep(lessonId, stepId);
      const c = need();
      c.probes.forget();
      await c.shell.run(step.solution, { onStdout: (t) => onOutput(t, 'stdout'), onStderr: (t) => onOutput(t, 'stderr') });
      return { passed: (await evaluateStep(c.sandbox, step)).passed };
    },

    async handOver(command) {
      const c = need();
      // the learner's working directory carries over; shell variables do not
      const pwd = (await c.shell.run('pwd')).stdout.trim() || '/root';
      // A command that fails says why on the terminal we are about to take back: wait for Enter.
      // (After an interactive shell inside the sandbox we may no longer be the terminal's
      // foreground; with SIGTTIN ignored the read then fails at once instead of stopping us.)
      const script =
        command === undefined
          ? `exec bash --rcfile ${TUTOR_BASHRC} -i`
          : `${command}\nnt_rc=$?; trap '' TTIN; if [ $nt_rc -ne 0 ] && [ $nt_rc -ne 130 ]; then printf '\\n[exit status %d] Press Enter to go back to the tutor. ' $nt_rc; read -r _; fi; exit $nt_rc`;
      if (command === undefined && options.shellBanner) process.stderr.write(options.shellBanner);
      // runWithTerminal gives it a pty of its own (see ptyArgv in commands/shell.ts)
      // what is typed there may change a server's answer: re-checks during and after it GET afresh
      c.probes.forget();
      try {
        return await runWithTerminal([...c.sandbox.enterPrefix, 'bash', '--norc', '--noprofile', '-c', `cd ${quoteForShell(pwd)} 2>/dev/null; ${script}`], c.sandbox.env);
      } finally {
        c.probes.forget();
      }
    },

    async renderMap(width) {
      const [{ takeSnapshot, unreadNote }, { renderMap }] = await Promise.all([import('../../world/observe/take-snapshot.js'), import('../../domain/map/render-map.js')]);
      const snapshot = await takeSnapshot(need().sandbox);
      const note = unreadNote(snapshot);
      return renderMap(snapshot, width) + (note ? `${note}\n` : '');
    },

    async diagnose(from, target) {
      const [{ diagnose }, { renderDiagnosis }] = await Promise.all([import('../diagnose/diagnose.js'), import('../../domain/diagnose/render-diagnosis.js')]);
      return renderDiagnosis(await diagnose(need().sandbox, from, target));
    },

    onKernelChange(listener) {
      kernelListeners.push(listener);
    },

    onBackgroundOutput(listener) {
      backgroundListeners.push(listener);
    },

    async dispose() {
      retire(current);
      current = undefined;
      await Promise.all([...retiring]);
    },
  };
}
