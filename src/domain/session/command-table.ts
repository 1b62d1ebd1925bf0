// The one table of everything the learner can ask for: the `:` meta-commands and the keys.
// Input handling (src/tui) and the help bar and :help panel are all generated from it.

export type MetaCommandName = 'hint' | 'solution' | 'skip' | 'reset' | 'lessons' | 'shell' | 'map' | 'why' | 'help' | 'quit';

/** Optional parts of the build the table depends on. */
export interface Features {
  map: boolean;
  diagnose: boolean;
}

export interface MetaCommand {
  name: MetaCommandName;
  /** A few words for the help bar. */
  label: string;
  /** One sentence for :help. */
  summary: string;
  /** Shown only when this optional feature is present. */
  feature?: keyof Features;
}

export const META_COMMANDS: readonly MetaCommand[] = [
  { name: 'hint', label: 'hint', summary: 'Show one more hint for this step (again for the next one).' },
  { name: 'solution', label: 'solution', summary: "Show the step's solution: the commands that complete it." },
  { name: 'skip', label: 'skip', summary: 'Run the solution for you and move on; the step is marked skipped, not passed.' },
  { name: 'reset', label: 'reset', summary: "Rebuild this step's starting state in a fresh sandbox (your changes are dropped)." },
  { name: 'lessons', label: 'lessons', summary: 'Pick any lesson; the state of the lessons before it is rebuilt for you.' },
  { name: 'shell', label: 'shell', summary: 'A real interactive bash in the same sandbox; type exit to come back.' },
  { name: 'map', label: 'map', summary: 'Draw the network you have built: namespaces, links, addresses, routes.', feature: 'map' },
  { name: 'why', label: 'why', summary: "Follow a failing reachability check's packets hop by hop and show the first hop that stops them.", feature: 'diagnose' },
  { name: 'help', label: 'help', summary: 'Show or hide this help.' },
  { name: 'quit', label: 'quit', summary: 'Leave the tutor. Your progress is saved; the sandbox is removed.' },
];

export type KeyContext = 'prompt' | 'picker' | 'global';

export type KeyAction =
  | 'interrupt'
  | 'submit'
  | 'history-back'
  | 'history-forward'
  | 'cursor-left'
  | 'cursor-right'
  | 'line-start'
  | 'line-end'
  | 'delete-back'
  | 'delete-forward'
  | 'kill-to-end'
  | 'kill-to-start'
  | 'delete-word'
  | 'complete'
  | 'scroll-step-up'
  | 'scroll-step-down'
  | 'scroll-output-up'
  | 'scroll-output-down'
  | 'output-start'
  | 'output-end'
  | 'clear-output'
  | 'close-panel'
  | 'picker-up'
  | 'picker-down'
  | 'picker-choose';

export interface KeyBinding {
  action: KeyAction;
  context: KeyContext;
  /** Key names as produced by keyNameOf (src/tui/key-name.ts): 'ctrl+c', 'up', 'pageup', ... */
  keys: readonly string[];
  /** How the key is written (:help lists every binding that has one). */
  label?: string;
  /** The few words beside the label in the help bar; bindings without are not in the bar. */
  bar?: string;
  summary: string;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { action: 'interrupt', context: 'global', keys: ['ctrl+c'], label: 'Ctrl-C', bar: 'stop', summary: 'stop the running command; when idle, press twice to quit' },
  { action: 'submit', context: 'prompt', keys: ['return'], label: 'Enter', summary: 'run the command (on an empty line after a step: next step)' },
  { action: 'history-back', context: 'prompt', keys: ['up', 'ctrl+p'], label: '↑↓', bar: 'history', summary: 'earlier and later commands' },
  { action: 'history-forward', context: 'prompt', keys: ['down', 'ctrl+n'], summary: 'later command' },
  { action: 'complete', context: 'prompt', keys: ['tab'], label: 'Tab', summary: 'complete a :command' },
  // not in the bar: the step's own marker names them when its text does not fit
  { action: 'scroll-step-up', context: 'global', keys: ['pageup'], label: 'PgUp/PgDn', summary: 'scroll the step text (and :help)' },
  { action: 'scroll-step-down', context: 'global', keys: ['pagedown'], summary: 'scroll the step text down' },
  // Shift-PgUp is how terminals scroll back; Alt-arrows for terminals that keep Shift-PgUp
  { action: 'scroll-output-up', context: 'global', keys: ['shift+pageup', 'meta+up'], label: 'Shift-PgUp/Dn', bar: 'output', summary: 'scroll the output back and forward (Alt-↑/↓ too)' },
  { action: 'scroll-output-down', context: 'global', keys: ['shift+pagedown', 'meta+down'], summary: 'scroll the output forward' },
  { action: 'output-start', context: 'global', keys: ['shift+home', 'meta+home'], label: 'Shift-Home/End', summary: 'the oldest output kept / back to the newest, following it' },
  { action: 'output-end', context: 'global', keys: ['shift+end', 'meta+end'], summary: 'back to the newest output' },
  { action: 'clear-output', context: 'global', keys: ['ctrl+l'], label: 'Ctrl-L', summary: 'clear the output area' },
  { action: 'close-panel', context: 'global', keys: ['escape'], label: 'Esc', summary: 'close help or the lesson list' },
  { action: 'cursor-left', context: 'prompt', keys: ['left', 'ctrl+b'], summary: 'cursor left' },
  { action: 'cursor-right', context: 'prompt', keys: ['right', 'ctrl+f'], summary: 'cursor right' },
  { action: 'line-start', context: 'prompt', keys: ['home', 'ctrl+a'], summary: 'start of line' },
  { action: 'line-end', context: 'prompt', keys: ['end', 'ctrl+e'], summary: 'end of line' },
  { action: 'delete-back', context: 'prompt', keys: ['backspace', 'ctrl+h'], summary: 'delete left' },
  { action: 'delete-forward', context: 'prompt', keys: ['delete', 'ctrl+d'], summary: 'delete right' },
  { action: 'kill-to-end', context: 'prompt', keys: ['ctrl+k'], summary: 'delete to the end' },
  { action: 'kill-to-start', context: 'prompt', keys: ['ctrl+u'], summary: 'delete to the start' },
  { action: 'delete-word', context: 'prompt', keys: ['ctrl+w'], summary: 'delete the word before the cursor' },
  { action: 'picker-up', context: 'picker', keys: ['up', 'ctrl+p', 'k'], label: '↑↓', bar: 'choose', summary: 'choose a lesson' },
  { action: 'picker-down', context: 'picker', keys: ['down', 'ctrl+n', 'j'], summary: 'next lesson' },
  { action: 'picker-choose', context: 'picker', keys: ['return'], label: 'Enter', bar: 'start it', summary: 'start that lesson' },
];

/** How the first binding of `action` is written ('Shift-PgUp/PgDn'), for sentences that name it. */
export function keyLabel(action: KeyAction): string {
  return KEY_BINDINGS.find((b) => b.action === action && b.label)?.label ?? action;
}

/** The action bound to a key in a context (global bindings apply everywhere). */
export function actionForKey(keyName: string, context: Exclude<KeyContext, 'global'>): KeyAction | undefined {
  const found =
    KEY_BINDINGS.find((b) => b.context === context && b.keys.includes(keyName)) ??
    KEY_BINDINGS.find((b) => b.context === 'global' && b.keys.includes(keyName));
  return found?.action;
}

export function availableMetaCommands(features: Features): MetaCommand[] {
  return META_COMMANDS.filter((c) => !c.feature || features[c.feature]);
}

export type ParsedInput =
  | { kind: 'empty' }
  | { kind: 'command'; command: string }
  | { kind: 'meta'; name: MetaCommandName }
  | { kind: 'unknown-meta'; text: string; suggestion?: MetaCommandName };

/** What a line typed at the prompt asks for. `:h` and `:sol` work as long as they are unambiguous. */
export function parseInput(text: string, features: Features): ParsedInput {
  const line = text.trim();
  if (line === '') return { kind: 'empty' };
  if (!line.startsWith(':')) return { kind: 'command', command: line };
  const word = line.slice(1).trim().toLowerCase();
  const commands = availableMetaCommands(features);
  // an exact name is recognised even when its feature is missing (the reducer says so)
  const exact = META_COMMANDS.find((c) => c.name === word);
  if (exact) return { kind: 'meta', name: exact.name };
  if (word === 'q' || word === 'exit') return { kind: 'meta', name: 'quit' };
  const prefixed = word ? commands.filter((c) => c.name.startsWith(word)) : [];
  if (prefixed.length === 1) return { kind: 'meta', name: prefixed[0]!.name };
  return { kind: 'unknown-meta', text: line, ...(prefixed[0] ? { suggestion: prefixed[0].name } : {}) };
}

/** Tab completion for a `:` prefix; undefined when there is nothing to complete. */
export function completeMetaCommand(text: string, features: Features): string | undefined {
  if (!text.startsWith(':') || text.includes(' ')) return undefined;
  const word = text.slice(1).toLowerCase();
  const matches = availableMetaCommands(features).filter((c) => c.name.startsWith(word));
  if (matches.length === 1) return `:${matches[0]!.name}`;
  return undefined;
}
