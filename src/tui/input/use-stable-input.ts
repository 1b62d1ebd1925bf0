// One keyboard subscription for the whole app, never re-made. Ink's useInput unsubscribes and
// subscribes again whenever its handler changes (every render with an inline handler) or a
// component with its own useInput mounts; keys that arrive in between are lost. So components
// return handlers (usePrompt, useLessonPicker) and the app routes keys to them from here.
import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';

export function useStableInput(handler: (input: string, key: Key) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(stable);
}
