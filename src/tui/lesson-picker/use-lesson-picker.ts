// The lesson list's keys, from the command table's picker bindings. Returns the cursor and a key
// handler (the app routes keys to it: see use-stable-input.ts); the cursor starts at the
// learner's lesson each time the list opens.
import type { Key } from 'ink';
import { actionForKey } from '../../domain/session/command-table.js';
import { keyNameOf } from '../input/key-name.js';
import { useLessonPickerState } from './use-lesson-picker-state.js';

export interface LessonPickerHandlers {
  onPick(lessonIndex: number): void;
  onClose(): void;
}

export function useLessonPicker(count: number, current: number, open: boolean, handlers: LessonPickerHandlers) {
  const { cursor, get, dispatch, ensureOpen } = useLessonPickerState(current, open);
  const onInput = (input: string, key: Key) => {
    ensureOpen(current);
    const action = actionForKey(keyNameOf(input, key) ?? input, 'picker');
    switch (action) {
      case 'picker-up':
        dispatch({ type: 'move', delta: -1, count });
        return;
      case 'picker-down':
        dispatch({ type: 'move', delta: 1, count });
        return;
      case 'picker-choose':
        handlers.onPick(get());
        return;
      case 'close-panel':
      case 'interrupt':
        handlers.onClose();
        return;
      default:
    }
  };
  return { cursor, onInput };
}
