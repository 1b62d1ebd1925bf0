// The tutor's screen: header, the step, its checks, the output, a status line, the prompt and the
// help bar, laid out to the terminal's size. State comes from the session runtime; keys go back
// to it as events.
import { Box, Text } from 'ink';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { countCompleted, countSteps, lessonAt, nextPosition, stepAt } from '../domain/session/course-position.js';
import { visibleLines } from '../domain/session/output-buffer.js';
import { buildCheckLines } from './lines/check-lines.js';
import { ChecksView } from './components/checks-view.js';
import { Header } from './components/header.js';
import { HelpBar, HelpPanel, helpPanelView } from './components/help-bar.js';
import { OutputRule, OutputView } from './components/output-view.js';
import { StatusLine, statusOf, statusRows } from './components/status-line.js';
import { StepView } from './components/step-view.js';
import { TooSmall } from './components/too-small.js';
import { planLayout } from './lines/layout.js';
import { LessonPicker } from './lesson-picker/lesson-picker.js';
import { useLessonPicker } from './lesson-picker/use-lesson-picker.js';
import { outputRows } from './lines/output-rows.js';
import { PromptView } from './prompt/prompt.js';
import { usePrompt } from './prompt/use-prompt.js';
import type { SessionRuntime } from '../app/runtime/session-runtime.js';
import { renderStepLines } from './lines/step-lines.js';
import { useOutputScroll } from './use-output-scroll.js';
import { useStableInput } from './input/use-stable-input.js';
import { useMarkdownLoaded, useTerminalSize } from './terminal/use-terminal.js';

export function TutorApp({ runtime }: { runtime: SessionRuntime }) {
  const state = useSyncExternalStore(runtime.subscribe, runtime.getState);
  const { columns, rows } = useTerminalSize();
  const markdownLoaded = useMarkdownLoaded();
  const lesson = lessonAt(state.course, state.position);
  const step = stepAt(state.course, state.position);
  const stepKeyId = `${lesson.id}/${step.id}`;
  const [scroll, setScroll] = useState({ key: stepKeyId, offset: 0 });
  const offset = scroll.key === stepKeyId ? scroll.offset : 0;
  // PgUp/PgDn scroll the help instead while it is open; it opens at its top
  const [helpOffset, setHelpOffset] = useState(0);
  useEffect(() => {
    if (state.panel !== 'help') setHelpOffset(0);
  }, [state.panel]);

  const width = Math.max(20, columns - 1);
  const stepLines = useMemo(() => renderStepLines(lesson, step, width), [lesson, step, width, markdownLoaded]);
  const checkLines = buildCheckLines(step.checks, state.checks, width);
  const lastStep = nextPosition(state.course, state.position) === undefined;
  const status = statusOf(state, lastStep);
  const statusLines = statusRows(status, width);
  // an open panel (help, lessons) takes the step's place and may use the output's rows too
  const panelOpen = state.panel !== 'none';
  const output = useMemo(() => outputRows(visibleLines(state.output), width, rows), [state.output, width, rows]);
  const layout = planLayout({ columns, rows, stepLines: panelOpen ? rows : stepLines.length, checkLines: checkLines.length, outputLines: panelOpen ? 0 : output.length, statusLines: statusLines.length });
  const stepRows = layout.kind === 'normal' ? layout.stepRows : 0;
  const outputScroll = useOutputScroll(state.output, state.readFrom, width, layout.kind === 'normal' ? layout.outputRows : 1);
  const topRows = layout.kind === 'normal' ? layout.stepRows + layout.checkRows : 0;

  const running = state.running !== undefined;
  const pickerOpen = state.panel === 'lessons';
  const { state: prompt, onInput: promptInput } = usePrompt({
    history: state.history,
    features: state.features,
    // typing ahead is allowed: a line entered while a command runs waits its turn
    editable: state.phase.kind !== 'handed-over' && state.phase.kind !== 'quitting',
    onSubmit: (text) => {
      // what the learner types next is what they want to see
      outputScroll.follow();
      runtime.dispatch({ type: 'input-submitted', text });
    },
    onInterrupt: () => runtime.dispatch({ type: 'interrupt-pressed' }),
    onEscape: () => runtime.dispatch({ type: 'escape-pressed' }),
    onClearOutput: () => {
      outputScroll.follow();
      runtime.dispatch({ type: 'output-cleared' });
    },
    onScrollOutput: (action) => outputScroll.onAction(action),
    onScrollStep: (direction) => {
      if (runtime.getState().panel === 'help') {
        setHelpOffset(helpPanelView(state.features, width, topRows, helpOffset + direction * Math.max(1, topRows - 3)).offset);
        return;
      }
      const page = Math.max(1, stepRows - 2);
      const max = Math.max(0, stepLines.length - stepRows + 1);
      setScroll({ key: stepKeyId, offset: Math.max(0, Math.min(max, offset + direction * page)) });
    },
  });

  const picker = useLessonPicker(state.course.lessons.length, state.position.lessonIndex, pickerOpen, {
    onPick: (lessonIndex) => runtime.dispatch({ type: 'lesson-picked', lessonIndex }),
    onClose: () => runtime.dispatch({ type: 'escape-pressed' }),
  });
  // route by the runtime's latest state, not this render's: keys can arrive before React renders
  useStableInput((input, key) => (runtime.getState().panel === 'lessons' ? picker.onInput(input, key) : promptInput(input, key)));

  const placeholder =
    state.phase.kind === 'step-complete' ? 'press Enter for the next step' : state.phase.kind === 'preparing' ? 'the sandbox is being prepared…' : 'type a command, or :help';
  const promptLine = (
    <PromptView
      state={prompt}
      width={width}
      continuation={state.continuation !== undefined}
      placeholder={state.continuation !== undefined ? '' : running ? 'type ahead: it runs when this command ends' : placeholder}
    />
  );

  if (layout.kind === 'too-small') {
    return (
      <Box flexDirection="column" width={width}>
        <TooSmall columns={columns} rows={rows} />
        {promptLine}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={rows - 1}>
      <Header lesson={lesson} stepIndex={state.position.stepIndex} completed={state.completed} courseDone={countCompleted(state.course, state.completed)} courseTotal={countSteps(state.course)} width={width} />
      {state.panel === 'help' ? (
        <HelpPanel features={state.features} rows={topRows} width={width} offset={helpOffset} />
      ) : pickerOpen ? (
        <LessonPicker course={state.course} completed={state.completed} current={state.position.lessonIndex} cursor={picker.cursor} rows={topRows} width={width} />
      ) : (
        <>
          <StepView lines={stepLines} rows={layout.stepRows} offset={offset} />
          <ChecksView lines={checkLines} rows={layout.checkRows} />
        </>
      )}
      <OutputRule view={outputScroll.view} width={width} />
      <OutputView lines={outputScroll.view.rows} rows={layout.outputRows} />
      <StatusLine status={status} rows={statusLines} />
      {promptLine}
      <HelpBar context={pickerOpen ? 'picker' : 'prompt'} features={state.features} width={width} />
    </Box>
  );
}
