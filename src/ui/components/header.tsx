// The top line: where the learner is ("Lesson 4 · The bridge · step 2 of 6") and a progress bar
// of the lesson's steps, with the course's share done. Render only.
import { Box, Text } from 'ink';
import type { Lesson } from '../../core/lesson/types.js';
import type { CompletedSteps } from '../../session/types.js';

export interface HeaderProps {
  lesson: Lesson;
  stepIndex: number;
  completed: CompletedSteps;
  courseDone: number;
  courseTotal: number;
}

export function Header({ lesson, stepIndex, completed, courseDone, courseTotal }: HeaderProps) {
  const percent = courseTotal === 0 ? 0 : Math.round((courseDone / courseTotal) * 100);
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color="cyan">{`Lesson ${lesson.number} · ${lesson.title}`}</Text>
        <Text>{` · step ${stepIndex + 1} of ${lesson.steps.length}`}</Text>
      </Text>
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
          <Text dimColor>{`  course ${percent}%`}</Text>
        </Text>
      </Box>
    </Box>
  );
}
