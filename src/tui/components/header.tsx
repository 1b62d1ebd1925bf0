// The top line: where the learner is ("Lesson 4 · The bridge · step 2 of 6") and a progress bar
// of the lesson's steps, with the course's share done. On a narrow terminal the course's share
// goes first, then the bar; the lesson's title is shortened last, and the step never.
import { Box, Text } from 'ink';
import type { Lesson } from '../../domain/lesson/types.js';
import type { CompletedSteps } from '../../domain/session/types.js';

export interface HeaderProps {
  lesson: Lesson;
  stepIndex: number;
  completed: CompletedSteps;
  courseDone: number;
  courseTotal: number;
  width: number;
}

/** What fits of the header at `width`: the title (shortened if need be), and which parts of the
 *  right-hand side are shown. Pure. */
export function headerParts(lesson: Lesson, stepIndex: number, percent: number, width: number): { title: string; bar: boolean; share: string } {
  const lead = `Lesson ${lesson.number} · `;
  const position = ` · step ${stepIndex + 1} of ${lesson.steps.length}`;
  const share = `  course ${percent}%`;
  const fixed = lead.length + position.length;
  const fits = (right: number) => fixed + lesson.title.length + (right > 0 ? right + 1 : 0) <= width;
  const bar = lesson.steps.length;
  const right = fits(bar + share.length) ? { bar: true, share } : fits(bar) ? { bar: true, share: '' } : { bar: false, share: '' };
  const room = width - fixed - (right.bar ? bar + right.share.length + 1 : 0);
  const title = lesson.title.length <= room ? lesson.title : `${lesson.title.slice(0, Math.max(1, room - 1)).trimEnd()}…`;
  return { title: `${lead}${title}`, ...right };
}

export function Header({ lesson, stepIndex, completed, courseDone, courseTotal, width }: HeaderProps) {
  const percent = courseTotal === 0 ? 0 : Math.round((courseDone / courseTotal) * 100);
  const parts = headerParts(lesson, stepIndex, percent, width);
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          {parts.title}
        </Text>
        <Text>{` · step ${stepIndex + 1} of ${lesson.steps.length}`}</Text>
      </Text>
      {parts.bar ? (
        <Box flexShrink={0}>
          <Text>
            {lesson.steps.map((s, i) => {
              const outcome = completed[`${lesson.id}/${s.id}`];
              const color = outcome === 'passed' ? 'green' : outcome === 'skipped' ? 'yellow' : i === stepIndex ? 'cyan' : 'gray';
              return (
                <Text key={s.id} color={color}>
                  {outcome || i === stepIndex ? '■' : '□'}
                </Text>
              );
            })}
            <Text dimColor>{parts.share}</Text>
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
