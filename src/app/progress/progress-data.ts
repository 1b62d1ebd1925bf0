// The shape of the progress file (version 1) and how to read it leniently. Pure.
//
//   { "version": 1,
//     "position": { "lessonId": "bridge", "stepId": "create-the-bridge" },
//     "steps": { "bridge/create-the-bridge": { "lessonId": "bridge", "stepId": "create-the-bridge",
//                                               "outcome": "passed", "at": "2026-01-01T10:00:00.000Z" } } }
import type { CompletedSteps, StepOutcome } from '../../domain/session/types.js';

export interface StepRecord {
  lessonId: string;
  stepId: string;
  outcome: StepOutcome;
  /** ISO 8601 time of completion. */
  at: string;
}

export interface ProgressData {
  version: 1;
  position?: { lessonId: string; stepId: string };
  steps: Record<string, StepRecord>;
}

export const emptyProgress = (): ProgressData => ({ version: 1, steps: {} });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function readRecord(v: unknown): StepRecord | undefined {
  if (!isObject(v) || !isId(v.lessonId) || !isId(v.stepId) || (v.outcome !== 'passed' && v.outcome !== 'skipped')) return undefined;
  return { lessonId: v.lessonId, stepId: v.stepId, outcome: v.outcome, at: typeof v.at === 'string' ? v.at : '' };
}

/** The data in a parsed file, or why it is not progress data (then the file is backed up). */
export function readProgressData(raw: unknown): { data: ProgressData } | { problem: string } {
  if (!isObject(raw)) return { problem: 'it is not a JSON object' };
  if (Object.keys(raw).length === 0) return { data: emptyProgress() };
  if (raw.version !== 1) return { problem: `it has version ${JSON.stringify(raw.version)}, expected 1` };
  const data = emptyProgress();
  if (raw.position !== undefined) {
    const p = raw.position;
    if (!isObject(p) || !isId(p.lessonId) || !isId(p.stepId)) return { problem: '"position" is not a lesson and step' };
    data.position = { lessonId: p.lessonId, stepId: p.stepId };
  }
  if (raw.steps !== undefined) {
    if (!isObject(raw.steps)) return { problem: '"steps" is not an object' };
    for (const [key, value] of Object.entries(raw.steps)) {
      const record = readRecord(value);
      if (!record) return { problem: `the record "${key}" is not a step outcome` };
      data.steps[key] = record;
    }
  }
  return { data };
}

export function completedSteps(data: ProgressData): CompletedSteps {
  const out: Record<string, StepOutcome> = {};
  for (const [key, r] of Object.entries(data.steps)) out[key] = r.outcome;
  return out;
}

const laterOf = (a: StepRecord, b: StepRecord): StepRecord => (b.at > a.at ? b : a);

/** One step's two records as one: a pass is never lost to a skip; otherwise the later wins. */
function mergeRecord(a: StepRecord | undefined, b: StepRecord): StepRecord {
  if (!a) return b;
  if (a.outcome !== b.outcome) return a.outcome === 'passed' ? a : b;
  return laterOf(a, b);
}

/** What two tutors wrote, as one: every step either completed, and `ours`'s position (the save
 *  being made is the newest place the learner stood). */
export function mergeProgress(onDisk: ProgressData, ours: ProgressData): ProgressData {
  const steps: Record<string, StepRecord> = { ...onDisk.steps };
  for (const [key, record] of Object.entries(ours.steps)) steps[key] = mergeRecord(steps[key], record);
  const position = ours.position ?? onDisk.position;
  return { version: 1, ...(position ? { position } : {}), steps };
}
