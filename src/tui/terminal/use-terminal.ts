// Hooks for the terminal around the app: its size (redrawn on resize) and whether the full
// markdown renderer has loaded (it is imported after the first frame).
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { isMarkdownLoaded, loadMarkdown } from '../markdown/render-markdown.js';

export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function useMarkdownLoaded(): boolean {
  const [loaded, setLoaded] = useState(isMarkdownLoaded);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    // after the first frame is on screen
    const timer = setTimeout(() => {
      loadMarkdown().then(
        () => live && setLoaded(true),
        () => {
          // the plain rendering stays; nothing the learner must act on
        },
      );
    }, 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [loaded]);
  return loaded;
}
