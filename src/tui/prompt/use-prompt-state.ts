// The prompt's line editor: text, cursor and the walk through history, as a pure reducer
// (reducePrompt) and the hook that holds it.
import { useCallback, useRef, useState } from 'react';
import type { KeyAction } from '../../domain/session/command-table.js';

export interface PromptState {
  text: string;
  cursor: number;
  /** Index into history while walking it; undefined at the live line. */
  historyIndex: number | undefined;
  /** The live line, kept while walking history. */
  draft: string;
}

export type PromptAction =
  | { type: 'insert'; text: string }
  | { type: 'edit'; action: KeyAction; history: readonly string[] }
  | { type: 'replace'; text: string }
  | { type: 'clear' };

export const initialPrompt: PromptState = { text: '', cursor: 0, historyIndex: undefined, draft: '' };

const at = (text: string, cursor = text.length): PromptState => ({ text, cursor, historyIndex: undefined, draft: '' });

function walkHistory(state: PromptState, history: readonly string[], delta: -1 | 1): PromptState {
  if (history.length === 0) return state;
  const from = state.historyIndex ?? history.length;
  const to = Math.min(history.length, Math.max(0, from + delta));
  if (to === from) return state;
  const draft = state.historyIndex === undefined ? state.text : state.draft;
  if (to === history.length) return { text: draft, cursor: draft.length, historyIndex: undefined, draft: '' };
  const text = history[to]!;
  return { text, cursor: text.length, historyIndex: to, draft };
}

function wordStart(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && text[i - 1] === ' ') i--;
  while (i > 0 && text[i - 1] !== ' ') i--;
  return i;
}

export function reducePrompt(state: PromptState, action: PromptAction): PromptState {
  const { text, cursor } = state;
  switch (action.type) {
    case 'insert':
      return { ...state, text: text.slice(0, cursor) + action.text + text.slice(cursor), cursor: cursor + action.text.length };
    case 'replace':
      return at(action.text);
    case 'clear':
      return initialPrompt;
    case 'edit':
      switch (action.action) {
        case 'history-back':
          return walkHistory(state, action.history, -1);
        case 'history-forward':
          return walkHistory(state, action.history, 1);
        case 'cursor-left':
          return { ...state, cursor: Math.max(0, cursor - 1) };
        case 'cursor-right':
          return { ...state, cursor: Math.min(text.length, cursor + 1) };
        case 'line-start':
          return { ...state, cursor: 0 };
        case 'line-end':
          return { ...state, cursor: text.length };
        case 'delete-back':
          return cursor === 0 ? state : { ...state, text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
        case 'delete-forward':
          return { ...state, text: text.slice(0, cursor) + text.slice(cursor + 1) };
        case 'kill-to-end':
          return { ...state, text: text.slice(0, cursor) };
        case 'kill-to-start':
          return { ...state, text: text.slice(cursor), cursor: 0 };
        case 'delete-word': {
          const start = wordStart(text, cursor);
          return { ...state, text: text.slice(0, start) + text.slice(cursor), cursor: start };
        }
        default:
          return state;
      }
  }
}

/** The prompt state, and `update` that applies a function of the latest state at once (several
 *  keys can arrive in one chunk: typed text followed by Enter). */
export function usePromptState(): [PromptState, (f: (s: PromptState) => PromptState) => void] {
  const ref = useRef(initialPrompt);
  const [state, setState] = useState(initialPrompt);
  const update = useCallback((f: (s: PromptState) => PromptState) => {
    ref.current = f(ref.current);
    setState(ref.current);
  }, []);
  return [state, update];
}
