// The session reducer, event by event, without rendering.
import { describe, expect, it } from 'vitest';
import { reduceSession, startSession } from '../src/domain/session/reduce-session.js';
import { visibleLines } from '../src/domain/session/output-buffer.js';
import type { Effect, SessionEvent, SessionState, Transition } from '../src/domain/session/types.js';
import { makeCourse } from './fixtures/tutor-course-model.js';

const course = makeCourse();

function start(position = { lessonIndex: 0, stepIndex: 0 }, resumed = false): Transition {
  return startSession({ course, position, completed: {}, features: { map: false, diagnose: false }, resumed });
}

/** Runs events in order, collecting every effect. */
function play(t: Transition, ...events: SessionEvent[]): { state: SessionState; effects: Effect[] } {
  let state = t.state;
  const effects = [...t.effects];
  for (const e of events) {
    const next = reduceSession(state, e);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

const ready = (generation = 1): SessionEvent => ({ type: 'sandbox-ready', generation });
const typed = (text: string): SessionEvent => ({ type: 'input-submitted', text });
const checks = (passed: boolean, stepId = 'make-fox', lessonId = 'namespaces', generation = 1): Extract<SessionEvent, { type: 'checks-evaluated' }> => ({
  type: 'checks-evaluated',
  generation,
  lessonId,
  stepId,
  passed,
  results: [{ name: `${stepId} exists`, status: passed ? 'pass' : 'fail', ...(passed ? {} : { message: `${stepId} is missing.` }) }],
});
const texts = (s: SessionState) => visibleLines(s.output).map((l) => l.text);

describe('starting', () => {
  it('asks for a sandbox at the position and waits for it', () => {
    const t = start();
    expect(t.state.phase.kind).toBe('preparing');
    expect(t.effects).toEqual([{ type: 'prepare-sandbox', generation: 1, lessonId: 'namespaces', stepIndex: 0 }]);
  });

  it('says it is rebuilding when resuming past the first step', () => {
    const t = start({ lessonIndex: 0, stepIndex: 1 }, true);
    expect(t.state.phase).toMatchObject({ kind: 'preparing' });
    expect(t.state.phase.kind === 'preparing' && t.state.phase.note).toMatch(/Welcome back. Rebuilding .* step 2/);
  });

  it('evaluates the step once the sandbox is ready', () => {
    const { state, effects } = play(start(), ready());
    expect(state.phase.kind).toBe('working');
    expect(effects.at(-1)).toEqual({ type: 'evaluate-step', generation: 1, lessonId: 'namespaces', stepId: 'make-fox' });
  });

  it('ignores readiness of an older sandbox', () => {
    const { state } = play(start(), ready(7));
    expect(state.phase.kind).toBe('preparing');
  });
});

describe('commands', () => {
  it('runs a typed command, echoes it, streams output and re-checks when it finishes', () => {
    const { state, effects } = play(
      start(),
      ready(),
      typed('ip netns add fox'),
      { type: 'output-received', text: 'partial', stream: 'stdout' },
      { type: 'output-received', text: ' line\nnext', stream: 'stdout' },
      { type: 'command-finished', exitCode: 0, outcome: 'exited' },
    );
    expect(effects).toContainEqual({ type: 'run-command', command: 'ip netns add fox' });
    expect(texts(state)).toEqual(expect.arrayContaining(['$ ip netns add fox', 'partial line', 'next']));
    expect(state.running).toBeUndefined();
    expect(effects.filter((e) => e.type === 'evaluate-step')).toHaveLength(2);
    expect(state.history).toEqual(['ip netns add fox']);
  });

  it('keeps commands typed while the sandbox is prepared, and runs them once it is ready', () => {
    const a = play(start(), typed('ip a'), typed('ip r'));
    expect(a.effects.some((e) => e.type === 'run-command')).toBe(false);
    expect(a.state.queued).toEqual(['ip a', 'ip r']);
    const b = play({ state: a.state, effects: [] }, ready());
    expect(b.effects.filter((e) => e.type === 'run-command')).toEqual([{ type: 'run-command', command: 'ip a' }]);
    expect(b.state.running).toBe('ip a');
    const c = play({ state: b.state, effects: [] }, { type: 'command-finished', exitCode: 0, outcome: 'exited' });
    expect(c.effects).toContainEqual({ type: 'run-command', command: 'ip r' });
    expect(c.effects).toContainEqual(expect.objectContaining({ type: 'evaluate-step' }));
    expect(c.state.queued).toEqual([]);
  });

  it('Enter on a completed step while a command runs moves on when it ends', () => {
    const a = play(start(), ready(), typed('ip netns add fox'), checks(true), typed(''));
    expect(a.state.position.stepIndex).toBe(0);
    expect(a.state.advancePending).toBe(true);
    const b = play({ state: a.state, effects: [] }, { type: 'command-finished', exitCode: 0, outcome: 'exited' });
    expect(b.state.position.stepIndex).toBe(1);
    expect(b.state.advancePending).toBe(false);
  });

  it('collects the lines of an unfinished command and runs them as one', () => {
    const a = play(start(), ready(), typed('for ns in fox bear; do'), typed('  ip netns add $ns'));
    expect(a.state.continuation).toBe('for ns in fox bear; do\n  ip netns add $ns');
    expect(a.effects.some((e) => e.type === 'run-command')).toBe(false);
    const b = play({ state: a.state, effects: [] }, typed('done'));
    expect(b.effects).toContainEqual({ type: 'run-command', command: 'for ns in fox bear; do\n  ip netns add $ns\ndone' });
    expect(texts(b.state)).toEqual(expect.arrayContaining(['$ for ns in fox bear; do', '>   ip netns add $ns', '> done']));
    expect(b.state.history.at(-1)).toBe('for ns in fox bear; do\n  ip netns add $ns\ndone');
    const c = play(start(), ready(), typed('echo "open'), { type: 'interrupt-pressed' });
    expect(c.state.continuation).toBeUndefined();
    expect(c.state.notice?.text).toMatch(/cancelled/);
  });

  it('runs lines pasted together one after another, and Ctrl-C drops the rest', () => {
    const a = play(start(), ready(), typed('ip link add a type bridge'), typed('ip link add b type bridge'), typed('ip link add c type bridge'));
    expect(a.effects.filter((e) => e.type === 'run-command')).toHaveLength(1);
    expect(a.state.queued).toEqual(['ip link add b type bridge', 'ip link add c type bridge']);
    const b = play({ state: a.state, effects: [] }, { type: 'interrupt-pressed' });
    expect(b.state.queued).toEqual([]);
    expect(b.state.notice?.text).toMatch(/2 waiting commands dropped/);
  });

  it('shows a failing exit status and an interruption', () => {
    const a = play(start(), ready(), typed('false'), { type: 'command-finished', exitCode: 1, outcome: 'exited' });
    expect(texts(a.state)).toContain('(exit status 1)');
    const b = play(start(), ready(), typed('ping 203.0.113.1'), { type: 'command-finished', exitCode: 130, outcome: 'interrupted' });
    expect(texts(b.state)).toContain('^C (stopped)');
  });

  it('hands interactive commands the terminal and re-checks on return', () => {
    const { state, effects } = play(start(), ready(), typed('ip netns exec fox bash'));
    expect(effects).toContainEqual({ type: 'hand-over', command: 'ip netns exec fox bash' });
    expect(state.phase).toMatchObject({ kind: 'handed-over', returnTo: 'working' });
    const back = play({ state, effects: [] }, { type: 'hand-over-finished', exitCode: 0 });
    expect(back.state.phase.kind).toBe('working');
    expect(back.effects).toContainEqual(expect.objectContaining({ type: 'evaluate-step' }));
  });

  it('does not let `exit` end its own shell', () => {
    const { state, effects } = play(start(), ready(), typed('exit'));
    expect(effects.some((e) => e.type === 'run-command' || e.type === 'quit')).toBe(false);
    expect(state.notice?.text).toMatch(/:quit/);
  });
});

describe('the sandbox getting ready', () => {
  it('says so on the note that said it was starting', () => {
    const t = start();
    expect(texts(t.state)).toEqual(['Starting your sandbox…']);
    expect(texts(play(t, ready()).state)).toEqual(['Starting your sandbox… ready.']);
  });

  it('says so on a line of its own when something came after the note', () => {
    const { state } = play(start(), typed(':hint'), ready());
    expect(texts(state)).toEqual(['Starting your sandbox…', 'Hint 1 of 2: Use ip netns.', 'Your sandbox is ready.']);
  });
});

describe('checks and completing a step', () => {
  it('shows failing checks and stays on the step', () => {
    const { state } = play(start(), ready(), checks(false));
    expect(state.phase.kind).toBe('working');
    expect(state.checks?.[0]).toMatchObject({ status: 'fail', message: 'make-fox is missing.' });
  });

  it('marks the step complete, records it, and waits for Enter', () => {
    const { state, effects } = play(start(), ready(), checks(true));
    expect(state.phase.kind).toBe('step-complete');
    expect(effects).toContainEqual({ type: 'record-step', lessonId: 'namespaces', stepId: 'make-fox', outcome: 'passed' });
    expect(effects).toContainEqual({ type: 'save-position', lessonId: 'namespaces', stepId: 'make-bear' });
    expect(state.position.stepIndex).toBe(0);
    // the moment is the status line's alone: the output does not say it a second time
    expect(texts(state).join('\n')).not.toMatch(/complete/i);

    const next = play({ state, effects: [] }, typed(''));
    expect(next.state.position).toEqual({ lessonIndex: 0, stepIndex: 1 });
    expect(next.state.phase.kind).toBe('working');
    expect(next.effects).toContainEqual({ type: 'evaluate-step', generation: 1, lessonId: 'namespaces', stepId: 'make-bear' });
  });

  it('ignores results for another step or an older sandbox', () => {
    expect(play(start(), ready(), checks(true, 'make-bear')).state.phase.kind).toBe('working');
    expect(play(start(), ready(), checks(true, 'make-fox', 'namespaces', 0)).state.phase.kind).toBe('working');
  });

  it('starts the next lesson in a fresh sandbox', () => {
    const t = start({ lessonIndex: 0, stepIndex: 1 });
    const { state, effects } = play(t, ready(), checks(true, 'make-bear'), typed(''));
    expect(state.position).toEqual({ lessonIndex: 1, stepIndex: 0 });
    expect(state.phase.kind).toBe('preparing');
    expect(effects.at(-1)).toEqual({ type: 'prepare-sandbox', generation: 2, lessonId: 'links', stepIndex: 0 });
  });

  it('ends the course after the last step', () => {
    const t = start({ lessonIndex: 1, stepIndex: 0 });
    const { state } = play(t, ready(), checks(true, 'make-veth', 'links'), typed(''));
    expect(state.phase.kind).toBe('course-complete');
    expect(texts(state).join('\n')).not.toMatch(/finished/);
  });
});

describe('meta-commands', () => {
  it(':hint shows one more hint each time, then says there are no more', () => {
    const { state } = play(start(), ready(), typed(':hint'), typed(':hint'), typed(':hint'));
    expect(texts(state)).toEqual(expect.arrayContaining(['Hint 1 of 2: Use ip netns.', 'Hint 2 of 2: `ip netns add fox`']));
    expect(state.notice?.text).toMatch(/last hint/);
  });

  it(':solution shows the commands', () => {
    const { state } = play(start(), ready(), typed(':solution'));
    expect(texts(state)).toContain('ip netns add fox');
  });

  it(':skip applies the solution, records a skip and moves on', () => {
    const a = play(start(), ready(), typed(':skip'));
    expect(a.state.phase.kind).toBe('skipping');
    expect(a.effects).toContainEqual({ type: 'apply-solution', generation: 1, lessonId: 'namespaces', stepId: 'make-fox' });
    const b = play({ state: a.state, effects: [] }, { type: 'solution-applied', generation: 1, lessonId: 'namespaces', stepId: 'make-fox', passed: true });
    expect(b.effects).toContainEqual({ type: 'record-step', lessonId: 'namespaces', stepId: 'make-fox', outcome: 'skipped' });
    expect(b.state.position.stepIndex).toBe(1);
    expect(b.state.completed['namespaces/make-fox']).toBe('skipped');
  });

  it(':skip rebuilds the next step when the solution did not fit', () => {
    const a = play(start(), ready(), typed(':skip'), { type: 'solution-applied', generation: 1, lessonId: 'namespaces', stepId: 'make-fox', passed: false });
    expect(a.state.phase.kind).toBe('preparing');
    expect(a.effects.at(-1)).toEqual({ type: 'prepare-sandbox', generation: 2, lessonId: 'namespaces', stepIndex: 1 });
  });

  it('a skip never downgrades a pass', () => {
    const { state, effects } = play(start(), ready(), checks(true), typed(':skip'));
    expect(state.completed['namespaces/make-fox']).toBe('passed');
    expect(effects.filter((e) => e.type === 'record-step')).toHaveLength(1);
  });

  it(':reset rebuilds the same step and drops late results from the old sandbox', () => {
    const { state, effects } = play(start(), ready(), typed(':reset'), checks(true));
    expect(effects).toContainEqual({ type: 'prepare-sandbox', generation: 2, lessonId: 'namespaces', stepIndex: 0 });
    expect(state.phase.kind).toBe('preparing');
  });

  it(':lessons opens the list and picking one rebuilds at its first step', () => {
    const a = play(start(), ready(), typed(':lessons'));
    expect(a.state.panel).toBe('lessons');
    const b = play({ state: a.state, effects: [] }, { type: 'lesson-picked', lessonIndex: 1 });
    expect(b.state.panel).toBe('none');
    expect(b.effects).toEqual([
      { type: 'save-position', lessonId: 'links', stepId: 'make-veth' },
      { type: 'prepare-sandbox', generation: 2, lessonId: 'links', stepIndex: 0 },
    ]);
  });

  it(':shell hands over a bash and comes back to the same phase', () => {
    const a = play(start(), ready(), checks(true), typed(':shell'));
    expect(a.effects).toContainEqual({ type: 'hand-over', command: undefined });
    const b = play({ state: a.state, effects: [] }, { type: 'hand-over-finished', exitCode: 0 });
    expect(b.state.phase.kind).toBe('step-complete');
  });

  it(':map is refused politely when the map is not there, and asked for when it is', () => {
    expect(play(start(), ready(), typed(':map')).state.notice?.text).toMatch(/not part of this version/);
    const t = startSession({ course, position: { lessonIndex: 0, stepIndex: 0 }, completed: {}, features: { map: true, diagnose: true }, resumed: false });
    expect(play(t, ready(), typed(':map')).effects).toContainEqual({ type: 'render-map' });
  });

  it(':why diagnoses the failing reachability check, and says so when there is none', () => {
    const t = startSession({ course, position: { lessonIndex: 1, stepIndex: 0 }, completed: {}, features: { map: true, diagnose: true }, resumed: false });
    const a = play(t, ready(1));
    expect(play({ state: a.state, effects: [] }, typed(':why')).effects).toEqual([{ type: 'diagnose', from: 'fox', address: '192.168.202.12' }]);
    const passing = play({ state: a.state, effects: [] }, {
      type: 'checks-evaluated', generation: 1, lessonId: 'links', stepId: 'make-veth', passed: false,
      results: [{ name: 'make-veth exists', status: 'fail' }, { name: 'fox reaches bear', status: 'pass' }],
    });
    expect(play({ state: passing.state, effects: [] }, typed(':why')).state.notice?.text).toMatch(/has none failing/);
    expect(play(start(), ready(), typed(':why')).state.notice?.text).toMatch(/not part of this version/);
  });

  it(':help toggles the help panel; unknown commands get a pointer', () => {
    expect(play(start(), typed(':help')).state.panel).toBe('help');
    expect(play(start(), typed(':help'), typed(':help')).state.panel).toBe('none');
    expect(play(start(), typed(':sho')).state.notice?.text).toMatch(/There is no :sho.*:help/);
    expect(play(start(), ready(), typed(':h')).state.notice?.text).toMatch(/There is no :h \(did you mean :hint\?\)/);
  });

  it(':quit and :q quit', () => {
    expect(play(start(), typed(':quit')).effects.at(-1)).toEqual({ type: 'quit' });
    expect(play(start(), typed(':q')).effects.at(-1)).toEqual({ type: 'quit' });
  });
});

describe('Ctrl-C', () => {
  it('interrupts a running command, not the tutor', () => {
    const { state, effects } = play(start(), ready(), typed('ping 203.0.113.1'), { type: 'interrupt-pressed' });
    expect(effects.at(-1)).toEqual({ type: 'interrupt-command', escalation: 'interrupt' });
    expect(state.phase.kind).toBe('working');
  });

  it('escalates for a command that will not stop: SIGINT, then SIGKILL (saying a third replaces the shell), then a new shell', () => {
    const press = { type: 'interrupt-pressed' } as const;
    const { state, effects } = play(start(), ready(), typed('yes'), press, press);
    expect(effects.filter((e) => e.type === 'interrupt-command')).toEqual([
      { type: 'interrupt-command', escalation: 'interrupt' },
      { type: 'interrupt-command', escalation: 'kill' },
    ]);
    expect(state.notice?.text).toMatch(/killed.*one more Ctrl-C replaces the shell/);
    const third = play({ state, effects: [] }, press);
    expect(third.effects).toEqual([{ type: 'interrupt-command', escalation: 'new-shell' }]);
  });

  it('starts the escalation again for the next command', () => {
    const press = { type: 'interrupt-pressed' } as const;
    const a = play(start(), ready(), typed('yes'), press, press, { type: 'command-finished', exitCode: 137, outcome: 'interrupted' }, typed('sleep 9'), press);
    expect(a.effects.filter((e) => e.type === 'interrupt-command').at(-1)).toEqual({ type: 'interrupt-command', escalation: 'interrupt' });
  });

  it('when idle, says how to quit, and quits on a second press', () => {
    const a = play(start(), ready(), { type: 'interrupt-pressed' });
    expect(a.state.notice?.text).toMatch(/Ctrl-C again.*:quit/);
    expect(a.effects.some((e) => e.type === 'quit')).toBe(false);
    const b = play({ state: a.state, effects: [] }, { type: 'interrupt-pressed' });
    expect(b.effects).toEqual([{ type: 'quit' }]);
  });

  it('a command in between disarms the second press', () => {
    const { effects } = play(start(), ready(), { type: 'interrupt-pressed' }, typed('ip a'), { type: 'command-finished', exitCode: 0, outcome: 'exited' }, { type: 'interrupt-pressed' });
    expect(effects.some((e) => e.type === 'quit')).toBe(false);
  });
});

describe('the sandbox failing', () => {
  it('reports it and offers :reset', () => {
    const { state } = play(start(), { type: 'sandbox-failed', generation: 1, message: 'unshare: operation not permitted' });
    expect(state.phase.kind).toBe('broken');
    expect(texts(state)).toContain('unshare: operation not permitted');
    expect(play({ state, effects: [] }, typed(':reset')).effects.at(-1)).toMatchObject({ type: 'prepare-sandbox', generation: 2 });
  });
});

describe('steps that stop holding (issue 12)', () => {
  const failing = (stepId: string, evidence: string) => ({ name: `${stepId} exists`, status: 'fail' as const, message: `${stepId} is missing.`, evidence });
  const withEarlier = (passedEarlier: boolean): SessionEvent => ({
    type: 'earlier-steps-evaluated',
    generation: 1,
    lessonId: 'namespaces',
    earlier: [{ stepId: 'make-fox', passed: passedEarlier, results: passedEarlier ? [{ name: 'make-fox exists', status: 'pass' }] : [failing('make-fox', 'namespaces: (none)')] }],
  });

  it('says when the completed current step no longer holds, with the evidence, and stays on it', () => {
    const { state } = play(start(), ready(), checks(true), { ...checks(false), results: [failing('make-fox', 'namespaces: bear')] });
    expect(state.phase.kind).toBe('working');
    expect(state.position.stepIndex).toBe(0);
    expect(texts(state)).toEqual(expect.arrayContaining(['Step 1 (Make fox) no longer holds:', '  ✗ make-fox exists: make-fox is missing.', '      namespaces: bear']));
    expect(state.notice).toMatchObject({ tone: 'warn', text: expect.stringMatching(/Step 1 .* no longer holds/) });
    expect(state.completed['namespaces/make-fox']).toBe('passed');
    // and completes again once it holds
    expect(play({ state, effects: [] }, checks(true)).state.phase.kind).toBe('step-complete');
  });

  it('names an earlier step of the lesson that stops holding, and again when it holds again, without moving', () => {
    const moved = play(start(), ready(), checks(true), typed(''));
    expect(moved.state.earlierHeld).toEqual({ 'make-fox': true });
    const broken = play({ state: moved.state, effects: [] }, withEarlier(false));
    expect(broken.state.position.stepIndex).toBe(1);
    expect(texts(broken.state)).toEqual(expect.arrayContaining(['Step 1 (Make fox) no longer holds:', '      namespaces: (none)']));
    expect(texts(broken.state).join('\n')).toMatch(/You stay on this step/);
    // said once, not on every evaluation
    const again = play({ state: broken.state, effects: [] }, withEarlier(false));
    expect(texts(again.state).filter((t) => t.includes('no longer holds'))).toHaveLength(1);
    const fixed = play({ state: again.state, effects: [] }, withEarlier(true));
    expect(texts(fixed.state)).toContain('Step 1 (Make fox) holds again.');
  });

  it('stays quiet about an earlier step that did not hold when a fresh sandbox first looked', () => {
    const t = startSession({ course, position: { lessonIndex: 0, stepIndex: 1 }, completed: { 'namespaces/make-fox': 'passed' }, features: { map: false, diagnose: false }, resumed: true });
    const { state } = play(t, ready(), withEarlier(false));
    expect(texts(state).join('\n')).not.toMatch(/no longer holds/);
    expect(state.earlierHeld).toEqual({ 'make-fox': false });
  });
});

describe('hints, reports and errors (issue 12)', () => {
  it(':hint gives the failing check’s own hint first, then the step’s hints in order', () => {
    const own = { ...checks(false), results: [{ name: 'make-fox exists', status: 'fail' as const, message: 'no fox', hint: 'fox is in host, not in bear' }] };
    const { state } = play(start(), ready(), own, typed(':hint'), typed(':hint'));
    expect(texts(state)).toEqual(expect.arrayContaining(['Hint for "make-fox exists": fox is in host, not in bear', 'Hint 1 of 2: Use ip netns.']));
  });

  it('opens a report, the solution and a failure at their first line', () => {
    const { state } = play(start(), ready(), { type: 'report-rendered', heading: 'Why fox → 10.0.0.1:', text: 'First hop that cannot pass: fox' });
    expect(visibleLines(state.output)[state.readFrom! - state.output.dropped]!.text).toBe('Why fox → 10.0.0.1:');
    const solution = play({ state, effects: [] }, typed(':solution')).state;
    expect(visibleLines(solution.output)[solution.readFrom! - solution.output.dropped]!.text).toMatch(/^The solution for this step/);
    const failed = play({ state, effects: [] }, { type: 'checks-failed', generation: 1, message: 'could not read the network state (timed-out, exit 137): no answer within 10 s' }).state;
    expect(visibleLines(failed.output)[failed.readFrom! - failed.output.dropped]!.text).toMatch(/^The checks could not run: .*no answer within 10 s$/);
    // the same failure again (the idle re-check) adds nothing
    const twice = play({ state: failed, effects: [] }, { type: 'checks-failed', generation: 1, message: 'could not read the network state (timed-out, exit 137): no answer within 10 s' }).state;
    expect(twice.output).toBe(failed.output);
  });
});
