// The output area's content: a bounded list of plain-text lines (oldest dropped first) plus the
// unterminated tail of the stream. Pure; terminal escapes are removed so a command's output can
// never move the cursor or clear the tutor's screen.

/** `code`: shell commands (a solution); `report`: a drawing or report shown as it is (the map). */
export type OutputKind = 'command' | 'stdout' | 'stderr' | 'note' | 'hint' | 'success' | 'error' | 'code' | 'report';

export interface OutputLine {
  text: string;
  kind: OutputKind;
}

export interface OutputBuffer {
  lines: readonly OutputLine[];
  /** The last line of a stream, still without its newline. */
  partial: OutputLine | undefined;
  /** How many lines were dropped from the front to stay bounded. */
  dropped: number;
}

/** Lines kept for scrolling back (a long listing, several reports). */
export const MAX_OUTPUT_LINES = 3000;
export const MAX_LINE_LENGTH = 2000;

export const emptyOutput: OutputBuffer = { lines: [], partial: undefined, dropped: 0 };

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte escapes, then C0 controls
// except tab and carriage return, and DEL.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f]/g;

function expandTabs(text: string): string {
  if (!text.includes('\t')) return text;
  let out = '';
  for (const ch of text) {
    if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += ch;
  }
  return out;
}

/** One line as a terminal would end up showing it: escapes removed, a carriage return starts
 *  the line over (progress meters), tabs expanded, very long lines cut. */
export function cleanLine(raw: string): string {
  let text = raw.replace(ESCAPES, '');
  if (text.includes('\r')) {
    const parts = text.split('\r').filter((p) => p.length > 0);
    text = parts[parts.length - 1] ?? '';
  }
  text = expandTabs(text);
  return text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH - 1)}…` : text;
}

/** The sandbox shell reads its commands as a script, so bash puts the line of that hidden script
 *  in its messages (`bash: line 7: readlnk: command not found`); a terminal's bash does not, and
 *  the number means nothing to the learner. */
export function withoutScriptLine(text: string): string {
  return text.replace(/^bash: line \d+: /, 'bash: ');
}

/** A finished line of `kind` as it is shown. */
function lineOf(kind: OutputKind, raw: string): OutputLine {
  const text = cleanLine(raw);
  return { kind, text: kind === 'stderr' ? withoutScriptLine(text) : text };
}

function bounded(lines: OutputLine[], dropped: number): Pick<OutputBuffer, 'lines' | 'dropped'> {
  if (lines.length <= MAX_OUTPUT_LINES) return { lines, dropped };
  const extra = lines.length - MAX_OUTPUT_LINES;
  return { lines: lines.slice(extra), dropped: dropped + extra };
}

/** Appends streamed text of one kind; a change of kind ends the other kind's open line. */
export function appendText(buffer: OutputBuffer, text: string, kind: OutputKind): OutputBuffer {
  if (text.length === 0) return buffer;
  const lines = [...buffer.lines];
  let carry = '';
  if (buffer.partial) {
    if (buffer.partial.kind === kind) carry = buffer.partial.text;
    else lines.push(lineOf(buffer.partial.kind, buffer.partial.text));
  }
  const pieces = (carry + text).split('\n');
  const tail = pieces.pop() ?? '';
  // Only the last MAX_OUTPUT_LINES complete lines can survive: skip cleaning the rest.
  const skip = Math.max(0, pieces.length - MAX_OUTPUT_LINES);
  for (let i = skip; i < pieces.length; i++) lines.push(lineOf(kind, pieces[i]!));
  const partial = tail.length > 0 ? { kind, text: tail.length > MAX_LINE_LENGTH * 2 ? tail.slice(-MAX_LINE_LENGTH * 2) : tail } : undefined;
  return { ...bounded(lines, buffer.dropped + skip), partial };
}

/** Ends the open line, if any (a command finished without a final newline). */
export function closePartial(buffer: OutputBuffer): OutputBuffer {
  if (!buffer.partial) return buffer;
  return { ...bounded([...buffer.lines, lineOf(buffer.partial.kind, buffer.partial.text)], buffer.dropped), partial: undefined };
}

/** Appends whole lines of the tutor's own (notes, hints, the command echo). */
export function appendLines(buffer: OutputBuffer, kind: OutputKind, text: string): OutputBuffer {
  const closed = closePartial(buffer);
  const added = text.split('\n').map((t) => ({ kind, text: cleanLine(t) }));
  return { ...bounded([...closed.lines, ...added], closed.dropped), partial: undefined };
}

/** The number the next whole line appended gets: lines count from the first ever appended, so
 *  a number stays valid while older lines are dropped (the open line, if any, takes it). */
export function nextLineNumber(buffer: OutputBuffer): number {
  return buffer.dropped + buffer.lines.length;
}

/** Every line to show, the open one last. */
export function visibleLines(buffer: OutputBuffer): readonly OutputLine[] {
  return buffer.partial ? [...buffer.lines, lineOf(buffer.partial.kind, buffer.partial.text)] : buffer.lines;
}

/** The sandbox is ready: the note that said it was being prepared says so, if it is still the
 *  last line; otherwise a line of its own does. */
export function noteReady(buffer: OutputBuffer, preparingNote: string): OutputBuffer {
  const last = buffer.lines[buffer.lines.length - 1];
  if (!buffer.partial && last?.kind === 'note' && preparingNote && last.text === cleanLine(preparingNote)) {
    return { ...buffer, lines: [...buffer.lines.slice(0, -1), { kind: 'note', text: `${last.text} ready.` }] };
  }
  return appendLines(buffer, 'note', 'Your sandbox is ready.');
}
