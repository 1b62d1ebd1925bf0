// A resize reaches the tutor as SIGWINCH, which the kernel sends only to the foreground process
// group of the terminal it resized. Started without that terminal as its controlling one
// (`su -c`, setsid, some classroom scripts), the tutor would never hear of a resize: then it
// re-reads the size on an interval and fires the stream's 'resize' as Node does on SIGWINCH.
import { fstatSync, readFileSync } from 'node:fs';
import type { WriteStream } from 'node:tty';

/** Whether `fd` is this process's controlling terminal (tty_nr in /proc/self/stat). */
export function isControllingTerminal(fd: number, stat = () => readFileSync('/proc/self/stat', 'utf8')): boolean {
  try {
    const text = stat();
    // the fields after "pid (comm)": state ppid pgrp session tty_nr ...
    const ttyNr = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[4]);
    return ttyNr !== 0 && ttyNr === fstatSync(fd).rdev;
  } catch {
    // no /proc to tell: trust the signal
    return true;
  }
}

export const SIZE_POLL_MS = 400;

/** Starts polling when `out` is a terminal that is not the controlling one; returns the stop. */
export function watchTerminalSize(out: NodeJS.WriteStream): () => void {
  const tty = out as WriteStream;
  if (!tty.isTTY || typeof tty.getWindowSize !== 'function' || isControllingTerminal((out as { fd?: number }).fd ?? 1)) return () => {};
  const timer = setInterval(() => {
    let size: [number, number];
    try {
      size = tty.getWindowSize();
    } catch {
      return;
    }
    const [columns, rows] = size;
    if (columns === tty.columns && rows === tty.rows) return;
    tty.columns = columns;
    tty.rows = rows;
    tty.emit('resize');
  }, SIZE_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
