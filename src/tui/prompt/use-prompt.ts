// The prompt's keys: maps what the terminal sends to the command table's actions, edits the line
// and reports submissions, Ctrl-C and the global keys to the caller.
import type { Key } from 'ink';
import { actionForKey, completeMetaCommand, type Features } from '../../domain/session/command-table.js';
import { keyNameOf } from '../input/key-name.js';
import { initialPrompt, reducePrompt, usePromptState, type PromptState } from './use-prompt-state.js';

export interface PromptHandlers {
  onSubmit(text: string): void;
  onInterrupt(): void;
  onEscape(): void;
  onScrollStep(direction: -1 | 1): void;
  onScrollOutput(action: 'scroll-output-up' | 'scroll-output-down' | 'output-start' | 'output-end'): void;
  onClearOutput(): void;
}

export interface PromptOptions extends PromptHandlers {
  history: readonly string[];
  features: Features;
  /** False while the terminal is handed over or the tutor quits: typing is ignored. */
  editable: boolean;
}

/** Splits a chunk of typed or pasted text into text runs and control keys. */
export function splitTyped(input: string): Array<{ text: string } | { key: string }> {
  const out: Array<{ text: string } | { key: string }> = [];
  let run = '';
  const flush = () => {
    if (run) out.push({ text: run });
    run = '';
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch === '\r' || ch === '\n') {
      flush();
      if (ch === '\r' && input[i + 1] === '\n') i++;
      out.push({ key: 'return' });
    } else if (ch === '\u007f' || ch === '\b') {
      flush();
      out.push({ key: 'backspace' });
    } else if (ch === '\t') {
      flush();
      out.push({ key: 'tab' });
    } else if (ch < ' ') {
      flush();
      out.push({ key: `ctrl+${String.fromCharCode(ch.charCodeAt(0) + 96)}` });
    } else run += ch;
  }
  flush();
  return out;
}

/** The prompt's state and its key handler (the app routes keys to it: see use-stable-input.ts). */
export function usePrompt(options: PromptOptions): { state: PromptState; onInput(input: string, key: Key): void } {
  const [state, update] = usePromptState();

  const handleKey = (name: string, s: PromptState): PromptState => {
    const action = actionForKey(name, 'prompt');
    switch (action) {
      case 'submit':
        if (!options.editable) return s;
        options.onSubmit(s.text);
        return initialPrompt;
      case 'interrupt':
        if (options.editable && s.text.length > 0) return initialPrompt;
        options.onInterrupt();
        return s;
      case 'complete':
        return options.editable ? reducePrompt(s, { type: 'replace', text: completeMetaCommand(s.text, options.features) ?? s.text }) : s;
      case 'scroll-step-up':
      case 'scroll-step-down':
        options.onScrollStep(action === 'scroll-step-up' ? -1 : 1);
        return s;
      case 'scroll-output-up':
      case 'scroll-output-down':
      case 'output-start':
      case 'output-end':
        options.onScrollOutput(action);
        return s;
      case 'clear-output':
        options.onClearOutput();
        return s;
      case 'close-panel':
        options.onEscape();
        return s;
      case undefined:
        return s;
      default:
        return options.editable ? reducePrompt(s, { type: 'edit', action, history: options.history }) : s;
    }
  };

  const onInput = (input: string, key: Key) => {
    const name = keyNameOf(input, key);
    update((start) => {
      if (name) return handleKey(name, start);
      let s = start;
      for (const part of splitTyped(input)) {
        if ('key' in part) s = handleKey(part.key, s);
        else if (options.editable) s = reducePrompt(s, { type: 'insert', text: part.text });
      }
      return s;
    });
  };
  return { state, onInput };
}
