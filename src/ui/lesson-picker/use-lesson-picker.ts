// The lesson list's keys, from the command table's picker bindings.
import { useInput } from 'ink';
import { actionForKey } from '../../session/command-table.js';
import { keyNameOf } from '../key-name.js';
import { useLessonPickerState } from './use-lesson-picker-state.js';

export interface LessonPickerHandlers {
  onPick(lessonIndex: number): void;
  onClose(): void;
}

export function useLessonPicker(count: number, initial: number, handlers: LessonPickerHandlers): number {
  const [cursor, move] = useLessonPickerState(initial);
  useInput((input, key) => {
    const action = actionForKey(keyNameOf(input, key) ?? input, 'picker');
    switch (action) {
      case 'picker-up':
        move({ type: 'move', delta: -1, count });
        return;
      case 'picker-down':
        move({ type: 'move', delta: 1, count });
        return;
      case 'picker-choose':
        handlers.onPick(cursor);
        return;
      case 'close-panel':
      case 'interrupt':
        handlers.onClose();
        return;
      default:
    }
  });
  return cursor;
}
