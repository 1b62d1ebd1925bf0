// Whether typed shell text is unfinished, the way bash decides to show its `>` continuation
// prompt: an open quote, a trailing backslash or operator (`|`, `&&`, `||`), an unclosed
// `if`/`for`/`while`/`until`/`case`/`{`/`(`, or a here-document still waiting for its end line.
// So a pasted `for ns in fox bear; do` ... `done` block runs as one command. Pure; a heuristic
// that errs towards "complete" (bash then reports the syntax error itself).

const OPENERS: Record<string, string> = { if: 'fi', for: 'done', while: 'done', until: 'done', select: 'done', case: 'esac', '{': '}' };
const CLOSERS = new Set(Object.values(OPENERS));
/** After these keywords the next word is again a command. */
const LEADERS = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '{', '!', 'time']);

export function isIncomplete(text: string): boolean {
  const stack: string[] = [];
  const heredocs: Array<{ word: string; strip: boolean }> = [];
  let parens = 0;
  let word = '';
  let commandPosition = true;
  let lastOperator = '';
  let i = 0;

  const endWord = () => {
    if (!word) return;
    const closer = OPENERS[word];
    if (commandPosition && closer !== undefined) stack.push(closer);
    else if (commandPosition && CLOSERS.has(word) && stack[stack.length - 1] === word) stack.pop();
    commandPosition = LEADERS.has(word) || (commandPosition && CLOSERS.has(word));
    word = '';
    lastOperator = '';
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\') {
      if (i + 1 >= text.length) return true; // a trailing backslash continues the line
      word += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return true;
      word += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return true;
      word += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '#' && word === '') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (ch === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      endWord();
      const m = /^<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/.exec(text.slice(i));
      if (m) {
        heredocs.push({ word: m[3]!, strip: m[1] === '-' });
        i += m[0].length;
        continue;
      }
    }
    if (ch === '\n') {
      endWord();
      if (lastOperator === '') commandPosition = true;
      i++;
      // here-document bodies: lines up to each end word
      while (heredocs.length > 0) {
        const doc = heredocs.shift()!;
        let found = false;
        while (i < text.length) {
          const nl = text.indexOf('\n', i);
          const line = text.slice(i, nl < 0 ? text.length : nl);
          i = nl < 0 ? text.length : nl + 1;
          if ((doc.strip ? line.replace(/^\t+/, '') : line) === doc.word) {
            found = true;
            break;
          }
        }
        if (!found) return true;
      }
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      endWord();
      i++;
      continue;
    }
    if (ch === ';' || ch === '&' || ch === '|') {
      endWord();
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' || two === ';;' ? two : ch;
      i += op.length;
      commandPosition = true;
      lastOperator = op === ';' || op === ';;' || op === '&' ? '' : op;
      continue;
    }
    if (ch === '(') {
      if (word.endsWith('$') || word === '' || commandPosition) parens++;
      endWord();
      commandPosition = true;
      i++;
      continue;
    }
    if (ch === ')') {
      endWord();
      if (parens > 0) parens--;
      commandPosition = false;
      i++;
      continue;
    }
    word += ch;
    i++;
  }
  endWord();
  return heredocs.length > 0 || stack.length > 0 || parens > 0 || lastOperator !== '';
}
