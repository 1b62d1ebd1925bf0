// Turns Ink's (input, key) pair into the key names the command table uses ('ctrl+c', 'up', ...),
// or undefined for plain text to insert.
import type { Key } from 'ink';

/** A navigation key with its modifiers ('shift+pageup', 'meta+up'); plain ones keep their name. */
function navigationName(key: Key): string | undefined {
  const name = key.upArrow
    ? 'up'
    : key.downArrow
      ? 'down'
      : key.leftArrow
        ? 'left'
        : key.rightArrow
          ? 'right'
          : key.pageUp
            ? 'pageup'
            : key.pageDown
              ? 'pagedown'
              : key.home
                ? 'home'
                : key.end
                  ? 'end'
                  : undefined;
  if (!name) return undefined;
  return `${key.ctrl ? 'ctrl+' : ''}${key.meta ? 'meta+' : ''}${key.shift ? 'shift+' : ''}${name}`;
}

export function keyNameOf(input: string, key: Key): string | undefined {
  const navigation = navigationName(key);
  if (navigation) return navigation;
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return 'tab';
  // Most terminals send DEL (0x7f) for the Backspace key, which Ink reports as `delete`.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (key.meta) return `meta+${input}`;
  return undefined;
}
