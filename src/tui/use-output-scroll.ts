// The output pane's scroll: follows new output until the learner scrolls back, opens a report
// (or a long message) at its first line, and follows again after a command is typed or once
// scrolled to the end. The rows are computed by output-window.ts (pure).
import { useEffect, useMemo, useState } from 'react';
import { visibleLines, type OutputBuffer } from '../domain/session/output-buffer.js';
import { FOLLOW, outputStart, outputWindow, scrollOutput, type OutputScroll, type OutputSource, type OutputWindow } from './lines/output-window.js';

export type OutputScrollAction = 'scroll-output-up' | 'scroll-output-down' | 'output-start' | 'output-end';

export interface OutputScrollControl {
  view: OutputWindow;
  onAction(action: OutputScrollAction): void;
  follow(): void;
}

export function useOutputScroll(output: OutputBuffer, readFrom: number | undefined, width: number, height: number): OutputScrollControl {
  const [scroll, setScroll] = useState<OutputScroll>(() => (readFrom === undefined ? FOLLOW : { kind: 'pinned', line: readFrom, row: 0 }));
  const [opened, setOpened] = useState(readFrom);
  let current = scroll;
  // a new report: open it at its first line (state adjusted while rendering, as React advises
  // for state derived from a prop, so the first frame with the report already shows its start)
  if (readFrom !== opened) {
    setOpened(readFrom);
    if (readFrom !== undefined) {
      current = { kind: 'pinned', line: readFrom, row: 0 };
      setScroll(current);
    }
  }
  const source: OutputSource = useMemo(() => ({ lines: visibleLines(output), first: output.dropped, width }), [output, width]);
  const view = useMemo(() => outputWindow(source, height, current), [source, height, current]);
  // a pin from which everything fits follows from now on (new output then shows)
  useEffect(() => {
    if (scroll.kind === 'pinned' && view.scroll.kind === 'follow') setScroll(FOLLOW);
  }, [scroll, view.scroll.kind]);
  const page = Math.max(1, height - 1);
  return {
    view,
    onAction(action) {
      switch (action) {
        case 'scroll-output-up':
          return setScroll(scrollOutput(source, height, view.scroll, -page));
        case 'scroll-output-down':
          return setScroll(scrollOutput(source, height, view.scroll, page));
        case 'output-start':
          return setScroll(outputWindow(source, height, outputStart(source)).scroll);
        case 'output-end':
          return setScroll(FOLLOW);
      }
    },
    follow: () => setScroll(FOLLOW),
  };
}
