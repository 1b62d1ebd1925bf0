// Nothing the learner must read is cut, at the sizes people use: every step of the real course
// rendered (the step view, through Ink) at 80 and 120 columns, and the whole screen at 80x24,
// 120x40 and 160x50 on its first frame and on a completed step.
import { EventEmitter } from 'node:events';
import chalk from 'chalk';
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Course, Lesson, Step } from '../src/domain/lesson/types.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { lessonsDir } from '../src/world/sandbox/paths.js';
import { startSession } from '../src/domain/session/reduce-session.js';
import { TutorApp } from '../src/tui/app.js';
import { StepView } from '../src/tui/components/step-view.js';
import { MAX_STEP_WIDTH } from '../src/tui/lines/layout.js';
import { loadMarkdown, renderMarkdownLines } from '../src/tui/markdown/render-markdown.js';
import { createSessionRuntime, type SessionRuntime } from '../src/app/runtime/session-runtime.js';
import { renderStepLines, stepMarkdown } from '../src/tui/lines/step-lines.js';
import { displayWidth, stripStyles } from '../src/tui/text/styled-text.js';
import { fakeServices } from './fixtures/fake-tutor-services.js';
import { makeCourse } from './fixtures/tutor-course-model.js';

/** An Ink screen of a fixed size; the latest frame as plain text. */
class Screen extends EventEmitter {
  frame = '';
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (text: string) => {
    this.frame = text;
    return true;
  };
}

const mounted: Instance[] = [];
function show(tree: ReactElement, columns: number, rows = 1000): Screen {
  const stdout = new Screen(columns, rows);
  const stdin = Object.assign(new EventEmitter(), { isTTY: true, setRawMode() {}, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  mounted.push(render(tree, { stdout: stdout as never, stdin: stdin as never, stderr: new Screen(columns, rows) as never, debug: true, patchConsole: false, exitOnCtrlC: false }));
  return stdout;
}
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

const plain = (s: string) => stripStyles(s);
/** What is left of code when the wrapping (spaces, ` \`, `↪`, a comment's `#`) is taken away. */
const essence = (s: string) => s.replace(/[\s\\↪#]/g, '');

function codeBlocks(step: Step): string[] {
  return [...step.body.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
}

let course: Course;
const level = chalk.level;
beforeAll(async () => {
  course = await loadCourse(lessonsDir);
  await loadMarkdown();
  // colours on, so styled text is wrapped as it is in a terminal
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = level;
});

describe('every step of the course', () => {
  const steps = () => course.lessons.flatMap((lesson) => lesson.steps.map((step) => ({ lesson, step })));

  it.each([80, 120])('fits %i columns: no line wider, nothing cut, every command whole', (columns) => {
    const width = columns - 1; // the frame is one column narrower than the terminal
    const problems: string[] = [];
    let checked = 0;
    for (const { lesson, step } of steps() as Array<{ lesson: Lesson; step: Step }>) {
      const where = `lesson ${lesson.number} step ${step.number}`;
      // the renderer itself wraps everything (the screen's last-resort wrapping is never needed)
      for (const line of renderMarkdownLines(stepMarkdown(lesson, step), Math.min(MAX_STEP_WIDTH, width - 1), width - 1)) {
        if (displayWidth(line) > width - 1) problems.push(`${where}: ${displayWidth(line)} columns: ${plain(line)}`);
      }
      const lines = renderStepLines(lesson, step, width);
      const frame = plain(show(<StepView lines={lines} rows={lines.length} offset={0} />, columns).frame);
      const frameLines = frame.split('\n');
      for (const line of frameLines) if (displayWidth(line) > width) problems.push(`${where}: the frame has a line of ${displayWidth(line)} columns`);
      // Ink drew every line as it is (it cut nothing)
      expect(frameLines.map((l) => l.trimEnd())).toEqual(lines.map((l) => plain(l).trimEnd() || ''));
      if (frame.includes('…') && !stepText(lesson, step).includes('…')) problems.push(`${where}: "…" in the frame`);
      for (const code of codeBlocks(step)) {
        checked++;
        if (!essence(frame).includes(essence(code))) problems.push(`${where}: a code block is not shown whole:\n${code}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});

function stepText(lesson: Lesson, step: Step): string {
  return `${lesson.intro}\n${step.body}`;
}

describe('the whole screen', () => {
  const runtimes: SessionRuntime[] = [];
  afterEach(() => {
    for (const r of runtimes.splice(0)) r.dispose();
  });

  async function screenAt(columns: number, rows: number) {
    const c = makeCourse();
    // a long step: its text must scroll, its checks' sentences wrap
    const step = c.lessons[0]!.steps[0]!;
    step.body = `${'A sentence about namespaces that goes on for a while, and then some more. '.repeat(12)}\n\n\`\`\`sh\nip netns add fox && ip netns exec fox ip link set lo up && ip netns exec fox ping -c 1 127.0.0.1 && echo all good here\n\`\`\`\n`;
    step.checks[0]!.message = 'There is no namespace called fox yet: `ip netns add` makes one, and **nothing** else in this step can work before it exists.';
    const services = fakeServices(c);
    const runtime = createSessionRuntime(startSession({ course: c, position: { lessonIndex: 0, stepIndex: 0 }, completed: {}, features: { map: true, diagnose: true }, resumed: false }), {
      services,
      progress: services.progress,
      idleCheckMs: 60_000,
    });
    runtimes.push(runtime);
    const screen = show(<TutorApp runtime={runtime} />, columns, rows);
    return { screen, runtime, services };
  }

  async function frameMatching(screen: Screen, re: RegExp): Promise<string> {
    for (let i = 0; i < 200; i++) {
      if (re.test(plain(screen.frame))) return plain(screen.frame);
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no frame matched ${re}; last frame:\n${plain(screen.frame)}`);
  }

  function expectFits(frame: string, columns: number, rows: number) {
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(rows - 1);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(columns - 1);
    // Ink cuts a line that does not fit with a … at its end
    expect(frame).not.toMatch(/…\s*$/m);
  }

  it.each([
    [80, 24],
    [120, 40],
    [160, 50],
  ])('at %ix%i: the first frame and a completed step fit, say so once, and cut nothing', async (columns, rows) => {
    const { screen, runtime } = await screenAt(columns, rows);
    const first = await frameMatching(screen, /does not hold yet/);
    expectFits(first, columns, rows);
    expect(first).toMatch(/Starting your sandbox… ready\./);
    expect(first).toMatch(/There is no namespace called fox yet: ip netns add makes one/);
    expect(first).not.toMatch(/`|\*\*/);
    runtime.dispatch({ type: 'input-submitted', text: 'ip netns add fox' });
    const done = await frameMatching(screen, /Step complete!/);
    expectFits(done, columns, rows);
    expect(done.match(/Step complete/g)).toHaveLength(1);
  });
});
