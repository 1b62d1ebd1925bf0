// The course model: lessons parsed from lessons/*.md (see lessons/README.md). Pure data.

export interface Course {
  /** The folder the lessons came from. */
  dir: string;
  lessons: Lesson[];
}

export interface Lesson {
  id: string;
  /** 1-based position in the course. */
  number: number;
  title: string;
  summary: string;
  /** The lesson whose end state this one starts from. */
  requires?: string;
  /** Hidden setup, run after `requires` is replayed. */
  setup?: string;
  /** Files placed inside the sandbox (absolute path -> content). */
  files: Record<string, string>;
  /** Markdown before the first step. */
  intro: string;
  steps: Step[];
  /** The lesson file and where things are in it, for messages. */
  source: { file: string };
}

export interface Step {
  id: string;
  /** The id of the lesson this step belongs to (set by the parser). */
  lessonId?: string;
  title: string;
  /** 1-based position in its lesson. */
  number: number;
  /** The step's markdown with the step block and solution blocks removed (what the learner reads). */
  body: string;
  checks: Check[];
  hints: string[];
  /** The commands that complete the step (the solution block, or the step's sh blocks). */
  solution: string;
  /** Line of the step heading in the lesson file. */
  line: number;
}

interface CheckBase {
  name: string;
  message: string;
  hint?: string;
  /** The namespace the check reads: 'host' (default), a named netns, or 'internet'. */
  in: string;
  line: number;
}

export type Check =
  | (CheckBase & { kind: 'netns'; netns: string; exists: boolean })
  | (CheckBase & {
      kind: 'link';
      link: string;
      exists: boolean;
      type?: string;
      up?: boolean;
      master?: string | null;
      peer?: string;
      peerIn?: string;
    })
  | (CheckBase & { kind: 'address'; address: string; dev?: string; exists: boolean })
  | (CheckBase & { kind: 'route'; route: string; via?: string; dev?: string; exists: boolean })
  | (CheckBase & { kind: 'sysctl'; sysctl: string; value: string })
  | (CheckBase & { kind: 'file'; file: string; contains?: string; matches?: string; exists: boolean })
  | (CheckBase & { kind: 'rule'; rule: RuleSpec })
  | (CheckBase & { kind: 'policy'; table: string; chain: string; policy: string })
  | (CheckBase & {
      kind: 'reach';
      reach: string;
      from: string;
      port?: number;
      http?: { path: string; body?: string };
      fails: boolean;
    })
  | (CheckBase & { kind: 'listening'; port: number; address?: string })
  | (CheckBase & { kind: 'shell'; shell: string });

export type CheckKind = Check['kind'];

export interface RuleSpec {
  table: string;
  chain: string;
  target?: string;
  protocol?: string;
  source?: string;
  destination?: string;
  in?: string;
  out?: string;
  dport?: string;
  sport?: string;
  to?: string;
  toPorts?: string;
  match?: string[];
  count?: number;
}

export type CheckStatus = 'pass' | 'fail' | 'error';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** The failure sentence (or the error) when not passing. */
  message?: string;
  hint?: string;
  /** The line of state that shows it, when there is one. */
  evidence?: string;
}

export interface StepEvaluation {
  lessonId: string;
  stepId: string;
  results: CheckResult[];
  /** All checks hold. */
  passed: boolean;
  durationMs: number;
}
