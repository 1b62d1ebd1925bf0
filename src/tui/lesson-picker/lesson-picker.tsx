// :lessons: the course's lessons with how far the learner got in each; Enter starts one. The
// lesson under the cursor has its summary in full below the list (rows are too narrow for it).
import { Box, Text } from 'ink';
import type { Course } from '../../domain/lesson/types.js';
import { lessonCompletion } from '../../domain/session/course-position.js';
import type { CompletedSteps } from '../../domain/session/types.js';
import { wrapWords } from '../text/wrap-words.js';

export interface LessonPickerProps {
  course: Course;
  completed: CompletedSteps;
  current: number;
  cursor: number;
  rows: number;
  width: number;
}

/** Render only; the cursor and keys are useLessonPicker's. */
export function LessonPicker({ course, completed, current, cursor, rows, width }: LessonPickerProps) {
  const summary = wrapWords(course.lessons[cursor]?.summary ?? '', width, { firstIndent: '  ', indent: '  ' });
  // the title line, the list, a blank line, the summary, the keys
  const room = Math.max(1, rows - 3 - summary.length);
  const first = Math.max(0, Math.min(cursor - Math.floor(room / 2), course.lessons.length - room));
  const shown = course.lessons.slice(first, first + room);
  return (
    <Box flexDirection="column" height={rows} overflowY="hidden">
      <Text bold>Pick a lesson (the state of the lessons before it is rebuilt for you)</Text>
      {shown.map((lesson, i) => {
        const index = first + i;
        const { done, total } = lessonCompletion(lesson, completed);
        const mark = total > 0 && done === total ? '✓' : done > 0 ? '◐' : ' ';
        return (
          <Text key={lesson.id} inverse={index === cursor} wrap="truncate-end">
            {`${index === cursor ? '❯' : ' '} ${mark} ${String(lesson.number).padStart(2)}. ${lesson.title}`}
            <Text dimColor>{`  ${done}/${total}${index === current ? '  (you are here)' : ''}`}</Text>
          </Text>
        );
      })}
      <Text> </Text>
      {summary.map((line, i) => (
        <Text key={`s${i}`} dimColor>
          {line}
        </Text>
      ))}
      <Text dimColor>↑↓ choose · Enter start it · Esc back</Text>
    </Box>
  );
}
