// A resize reaches the tutor as SIGWINCH, which the kernel sends only to the foreground process
// group of the terminal it resized. Started without that terminal as its controlling one
// (`su -c`, setsid, some classroom scripts), the tutor would never hear of a resize: then it
// re-reads the size on an interval, as Node does on SIGWINCH.
import { fstatSync, readFileSync } from 'node:fs';

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

/** Starts polling when `out` is a terminal that is not the controlling one; returns the stop.
 *  WriteStream.getWindowSize() only returns the size Node last read; _refreshSize() (what Node
 *  runs on SIGWINCH) asks the terminal, updates columns/rows and emits 'resize' on a change. */
export function watchTerminalSize(out: NodeJS.WriteStream): () => void {
  const refresh = (out as unknown as { _refreshSize?: () => void })._refreshSize;
  if (!out.isTTY || typeof refresh !== 'function' || isControllingTerminal((out as { fd?: number }).fd ?? 1)) return () => {};
  const timer = setInterval(() => {
    try {
      refresh.call(out);
    } catch {
      // the terminal is gone: the tutor is ending anyway
    }
  }, SIZE_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
