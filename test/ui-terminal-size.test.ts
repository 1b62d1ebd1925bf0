// Resizes without SIGWINCH: the tutor tells whether its terminal is the controlling one from
// /proc/self/stat, and polls the size only when it is not (e.g. started by `su -c`).
import { describe, expect, it } from 'vitest';
import { isControllingTerminal } from '../src/tui/terminal/watch-terminal-size.js';

describe('the controlling terminal', () => {
  it('reads tty_nr after the command name, even one with spaces and parentheses', () => {
    const stat = (tty: number) => () => `4242 (node (x) y) S 1 4242 4242 ${tty} 4242 4194560 0 0`;
    // fd 0 under vitest is not a terminal (rdev 0): tty_nr 0 means no controlling terminal
    expect(isControllingTerminal(0, stat(0))).toBe(false);
    expect(isControllingTerminal(0, stat(34816))).toBe(false);
  });

  it('trusts the signal when /proc cannot tell', () => {
    expect(
      isControllingTerminal(0, () => {
        throw new Error('no /proc');
      }),
    ).toBe(true);
  });
});
