// The lesson list's cursor: a pure reducer, and a hook that applies it to the latest value at
// once (Down and Enter can arrive in one chunk, before React renders again).
import { useCallback, useRef, useState } from 'react';

export type PickerAction = { type: 'move'; delta: number; count: number } | { type: 'set'; cursor: number };

export function reducePicker(cursor: number, action: PickerAction): number {
  if (action.type === 'set') return action.cursor;
  if (action.count === 0) return 0;
  const next = cursor + action.delta;
  return ((next % action.count) + action.count) % action.count;
}

/** The cursor, starting at `current` each time the list opens (at the first render or the
 *  first key after opening, whichever comes first); `get` reads the latest value. */
export function useLessonPickerState(current: number, open: boolean) {
  const ref = useRef(current);
  const opened = useRef(false);
  const [, rerender] = useState(0);
  const ensureOpen = useCallback((at: number) => {
    if (opened.current) return;
    opened.current = true;
    ref.current = at;
  }, []);
  if (open) ensureOpen(current);
  else opened.current = false;
  const dispatch = useCallback((action: PickerAction) => {
    ref.current = reducePicker(ref.current, action);
    rerender((n) => n + 1);
  }, []);
  const get = useCallback(() => ref.current, []);
  return { cursor: ref.current, get, dispatch, ensureOpen };
}
