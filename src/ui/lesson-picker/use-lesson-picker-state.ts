// The lesson list's cursor: a pure reducer and its hook.
import { useReducer } from 'react';

export type PickerAction = { type: 'move'; delta: number; count: number } | { type: 'set'; cursor: number };

export function reducePicker(cursor: number, action: PickerAction): number {
  if (action.type === 'set') return action.cursor;
  if (action.count === 0) return 0;
  const next = cursor + action.delta;
  return ((next % action.count) + action.count) % action.count;
}

export function useLessonPickerState(initial: number) {
  return useReducer(reducePicker, initial);
}
