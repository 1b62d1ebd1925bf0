// The exam's task bank: building tasks taken from the course's steps (start in the state before
// the step, graded by the step's checks) and troubleshooting tasks taken from the fault catalogue
// (a base network with one fault, graded by its connectivity matrix). Pure.
import type { Course, Lesson, Step } from '../lesson/types.js';
import { BASE_NETWORKS, FAULT_KINDS } from '../faults/catalogue.js';
import { DRILL_EXTRAS, pathWords } from '../faults/drill-matrix.js';
import type { BaseId, FaultKind } from '../faults/types.js';
import type { DrillPlan } from '../drill/plan-drill.js';
import { seededRandom } from '../drill/seeded-random.js';

export type ExamTask =
  | { kind: 'build'; id: string; weight: number; title: string; statement: string; lesson: Lesson; step: Step }
  | { kind: 'troubleshoot'; id: string; weight: number; title: string; statement: string; plan: DrillPlan };

/** Steps that build something (not the ones that ask for a note or a reading). */
const buildsSomething = (s: Step) => s.checks.length > 0 && s.checks.every((c) => c.kind !== 'file' && c.kind !== 'shell');

function buildTask(lesson: Lesson, step: Step): ExamTask {
  const statement = [
    `Starting point: the network as lesson ${lesson.number} (${lesson.title}) leaves it before "${step.title}".`,
    'Make all of these true:',
    ...step.checks.map((c) => `  - ${c.name}`),
  ].join('\n');
  return { kind: 'build', id: `build:${lesson.id}/${step.id}`, weight: Math.min(8, 2 + step.checks.length), title: step.title, statement, lesson, step };
}

function troubleshootTask(fault: FaultKind): ExamTask {
  const base = BASE_NETWORKS.find((b) => b.id === fault.base)!;
  const extra = DRILL_EXTRAS[base.id];
  const plan: DrillPlan = { seed: 0, base, faults: [fault], open: [...base.probes, ...extra.open], closed: extra.closed, extraSetup: extra.setup };
  const broken = base.probes.find((p) => p.id === fault.breaks)!;
  const statement = [
    `On ${base.title}: users report that this no longer works:`,
    `  - ${pathWords(broken)}`,
    'Repair it. Every other path in this network must keep working' + (extra.closed.length ? ', and these must stay CLOSED:' : '.'),
    ...extra.closed.map((p) => `  - ${pathWords(p)}`),
  ].join('\n');
  return { kind: 'troubleshoot', id: `fix:${fault.id}`, weight: 4 + 2 * (fault.level - 1), title: `Repair: ${pathWords(broken)}`, statement, plan };
}

export function examBank(course: Course, bases: readonly BaseId[]): ExamTask[] {
  const building = course.lessons.filter((l) => l.number > 1).flatMap((l) => l.steps.filter(buildsSomething).map((s) => buildTask(l, s)));
  const troubleshooting = FAULT_KINDS.filter((f) => bases.includes(f.base)).map(troubleshootTask);
  return [...building, ...troubleshooting];
}

/** N tasks from the bank for this seed: about half building, half troubleshooting, shuffled. */
export function drawExam(bank: readonly ExamTask[], seed: number, count: number): ExamTask[] {
  const rng = seededRandom(seed);
  const pool = { build: bank.filter((t) => t.kind === 'build'), troubleshoot: bank.filter((t) => t.kind === 'troubleshoot') };
  const chosen: ExamTask[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 2 === 0 ? 'troubleshoot' : 'build';
    const from = pool[kind].length > 0 ? pool[kind] : pool[kind === 'build' ? 'troubleshoot' : 'build'];
    if (from.length === 0) break;
    chosen.push(from.splice(rng.below(from.length), 1)[0]!);
  }
  // shuffle (Fisher-Yates) so the kinds do not alternate predictably
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [chosen[i], chosen[j]] = [chosen[j]!, chosen[i]!];
  }
  return chosen;
}
