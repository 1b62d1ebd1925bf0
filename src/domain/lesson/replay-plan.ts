// What brings a fresh sandbox to "before step k of lesson L": the `requires` chain (each lesson's
// files, setup and every step's solution), then L's files, setup and the solutions of steps 0..k-1;
// as one bash script whose log says which part every failing command belongs to. Pure.
import type { Course, Lesson } from './types.js';
import { quoteForShell } from '../shell-quote.js';
import { TUTOR_DIR } from '../sandbox-layout.js';

const REPLAY_BIN = `${TUTOR_DIR}/replay-bin`;

export interface ReplayPart {
  lessonId: string;
  /** The step's id for a solution; absent for files and setup. */
  stepId?: string;
  kind: 'files' | 'setup' | 'solution';
  script: string;
}

export class ReplayPlanError extends Error {}


/** The lessons whose end state `lesson` starts from, oldest first (not including it). */
export function requiresChain(course: Course, lesson: Lesson): Lesson[] {
  const chain: Lesson[] = [];
  const seen = new Set([lesson.id]);
  let current = lesson;
  while (current.requires !== undefined) {
    const next = course.lessons.find((l) => l.id === current.requires);
    if (!next) throw new ReplayPlanError(`lesson ${current.id} requires "${current.requires}", which is not in the course`);
    if (seen.has(next.id)) throw new ReplayPlanError(`lesson ${lesson.id}: its requires chain loops at ${next.id}`);
    seen.add(next.id);
    chain.unshift(next);
    current = next;
  }
  return chain;
}

function filesScript(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([path, content]) => {
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      return `mkdir -p ${quoteForShell(dir)} && printf %s ${quoteForShell(Buffer.from(content).toString('base64'))} | base64 -d >${quoteForShell(path)}`;
    })
    .join('\n');
}

function lessonParts(lesson: Lesson, steps: number): ReplayPart[] {
  const parts: ReplayPart[] = [];
  if (Object.keys(lesson.files).length > 0) parts.push({ lessonId: lesson.id, kind: 'files', script: filesScript(lesson.files) });
  if (lesson.setup?.trim()) parts.push({ lessonId: lesson.id, kind: 'setup', script: lesson.setup });
  for (const step of lesson.steps.slice(0, steps)) parts.push({ lessonId: lesson.id, stepId: step.id, kind: 'solution', script: step.solution });
  return parts;
}

export function planReplay(course: Course, lessonId: string, stepIndex: number): ReplayPart[] {
  const lesson = course.lessons.find((l) => l.id === lessonId);
  if (!lesson) throw new ReplayPlanError(`no lesson "${lessonId}" in the course`);
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex > lesson.steps.length) {
    throw new ReplayPlanError(`lesson ${lessonId} has ${lesson.steps.length} steps: cannot prepare the state before step index ${stepIndex}`);
  }
  return [...requiresChain(course, lesson).flatMap((l) => lessonParts(l, l.steps.length)), ...lessonParts(lesson, stepIndex)];
}

/** Parts of one step's solution, for running a solution on its own. */
export function solutionPart(lessonId: string, stepId: string, script: string): ReplayPart {
  return { lessonId, stepId, kind: 'solution', script };
}

export const RC_OUTSIDE_SANDBOX = 90;

/** Replays run `ping` with a 10 ms interval and a 20 ms reply wait (given last, so they win over
 *  the lesson's own -i/-W): the same packets with the same answers, without `-c2` costing a
 *  second. An answer inside the sandbox takes microseconds, and the state a replay needs (neighbour
 *  entries, conntrack, counters) is the kernel's, made whether or not ping still waits; the wait
 *  only matters where no answer comes (a step showing that), and there it is pure delay. Only for
 *  replays; the learner's own shell runs the real ping untouched. */
const FAST_PING = [
  // written once per sandbox; bash builtins only after that (a fork or exec costs ~1 ms, and every
  // step's solution in test-lessons is a replay of its own)
  `if [ -x ${REPLAY_BIN}/ping ] || { hash ping 2>/dev/null && mkdir -p ${REPLAY_BIN} &&`,
  `  printf '#!/bin/bash\\nexec -a ping %q "$@" -i 0.01 -W 0.02\\n' "\${BASH_CMDS[ping]}" >${REPLAY_BIN}/ping && chmod 755 ${REPLAY_BIN}/ping; }; then`,
  `  PATH=${REPLAY_BIN}:$PATH`,
  'fi',
].join('\n');

/** One bash script running the parts in order, each in its own subshell starting in /root (like
 *  a learner's fresh shell: no variable or `cd` carries from one step to the next, so a replay in
 *  one call equals running the steps one by one). All output goes to a log file and the parts never
 *  see our stdout (fd 3), so a server started with `&` cannot hold the runner's pipe open; the log
 *  is printed at the end with markers: `\x1epart I T`, `\x1eerr STATUS COMMAND`, `\x1eend T`. */
export function buildReplayScript(parts: readonly ReplayPart[], options: { fastPing?: boolean } = {}): string {
  const body = parts.map((p, i) => `printf '\\036part ${i} %s\\n' "$EPOCHREALTIME"\n(cd /root 2>/dev/null; eval ${quoteForShell(p.script)}; true) 3>&-`);
  return [
    `[ -n "\${NETNS_TUTOR_SANDBOX:-}" ] || { echo 'refusing to replay lesson commands outside a netns-tutor sandbox' >&2; exit ${RC_OUTSIDE_SANDBOX}; }`,
    // this shell's own log (no two replays run in one process at once), emptied, not removed, at
    // the end: no process is started for it
    `nt_log=${TUTOR_DIR}/tmp/replay.$BASHPID`,
    ': >"$nt_log" || exit 1',
    'exec 3>&1 </dev/null >"$nt_log" 2>&1',
    ...(options.fastPing === false ? [] : [FAST_PING]),
    "nt_nl=$'\\n'",
    // errtrace: the trap reports failing commands inside the parts' subshells too
    'set -E',
    `trap 'printf "\\036err %s %s\\n" "$?" "\${BASH_COMMAND//$nt_nl/ }"' ERR`,
    ...body,
    'trap - ERR',
    `printf '\\036end %s\\n' "$EPOCHREALTIME"`,
    'exec >&3 2>&1 3>&-',
    `IFS= read -r -d '' nt_out <"$nt_log"; printf '%s' "$nt_out"; : >"$nt_log"`,
  ].join('\n');
}

export interface ReplayFailure {
  part: ReplayPart;
  status: number;
  command: string;
}

export interface ReplayLog {
  /** Every command that exited non-zero, with its part. */
  failures: ReplayFailure[];
  /** Each part's output, in order. */
  outputs: string[];
  /** How long each part took. */
  durationsMs: number[];
  /** The script ran to its end (no part exited the shell). */
  completed: boolean;
  /** The index of the last part that started. */
  lastPart: number;
}

export function parseReplayLog(parts: readonly ReplayPart[], log: string): ReplayLog {
  const failures: ReplayFailure[] = [];
  const outputs: string[] = parts.map(() => '');
  const durationsMs: number[] = parts.map(() => 0);
  let startedAt: number | undefined;
  let current = -1;
  let completed = false;
  for (const line of log.split('\n')) {
    const part = /^\x1epart (\d+) ([\d.]+)$/.exec(line);
    const err = /^\x1eerr (\d+) (.*)$/.exec(line);
    const end = /^\x1eend ([\d.]+)$/.exec(line);
    if (part || end) {
      const at = Number((part ?? end)![part ? 2 : 1]) * 1000;
      if (current >= 0 && startedAt !== undefined) durationsMs[current] = at - startedAt;
      startedAt = at;
    }
    if (part) current = Number(part[1]);
    else if (end) {
      completed = true;
      break;
    }
    else if (err && parts[current]) {
      const status = Number(err[1]);
      const command = err[2] ?? '';
      // our own `eval` fails after the command inside it did: report that command once
      if (command.startsWith("eval '")) {
        const previous = failures.at(-1);
        if (previous && previous.part === parts[current] && previous.status === status) continue;
        failures.push({ part: parts[current]!, status, command: '(the commands could not be parsed: a bash syntax error)' });
      } else {
        // the part's subshell itself: only a command it ran as `exit N` ends it with a status
        failures.push({ part: parts[current]!, status, command: command.startsWith('( cd /root') ? `exit ${status}` : command });
      }
    }
    else if (current >= 0) outputs[current] += `${line}\n`;
  }
  return { failures, outputs, durationsMs, completed, lastPart: current };
}

export function describePart(part: ReplayPart): string {
  return part.kind === 'solution' ? `lesson ${part.lessonId}, step ${part.stepId}` : `lesson ${part.lessonId}, ${part.kind}`;
}
