// YAML embedded in a lesson file (front matter, step blocks): parsed with line positions so every
// complaint can say file:line.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { LessonFormatError } from './lesson-format-error.js';

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlSource {
  value: unknown;
  /** The file line where the node at `path` starts (the deepest existing node on the way). */
  lineOf(path: YamlPath): number;
}

/** Parses YAML whose first line is line `firstLine` of `file`; a syntax error throws with file:line. */
export function parseYamlAt(text: string, file: string, firstLine: number, what: string): YamlSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const toFileLine = (offset: number) => counter.linePos(offset).line + firstLine - 1;
  const [error] = doc.errors;
  if (error) {
    const message = error.message.replace(/\s+/g, ' ').trim();
    throw new LessonFormatError(file, toFileLine(error.pos[0]), `expected valid YAML in ${what}, found a syntax error: ${message}`);
  }
  return {
    value: toValue(doc, what, file, toFileLine),
    lineOf: (path) => toFileLine(offsetOf(doc, path)),
  };
}

/** Aliases a lesson may expand: far more than any lesson needs, far fewer than a "billion laughs"
 *  (nested aliases, each doubling the value) needs to exhaust memory. */
const MAX_ALIAS_COUNT = 100;

function toValue(doc: Document, what: string, file: string, toFileLine: (offset: number) => number): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // yaml throws a ReferenceError for too many alias expansions (and for an alias to nothing)
    if (!(e instanceof ReferenceError)) throw e;
    let first: number | undefined;
    visit(doc, {
      Alias(_, node) {
        first ??= node.range?.[0];
      },
    });
    const why = /excessive alias/i.test(e.message) ? `aliases (*name) that expand to too much (over ${MAX_ALIAS_COUNT} expansions)` : e.message;
    throw new LessonFormatError(file, toFileLine(first ?? 0), `expected YAML in ${what} whose aliases stay small, found ${why}`);
  }
}

function offsetOf(doc: Document, path: YamlPath): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      // a value on its own lines: point at the key, which names it
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) break;
      node = item;
      offset = (item as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
