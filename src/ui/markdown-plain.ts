// A light stand-in for marked-terminal during the first frame: paragraphs wrapped to the width,
// headings and fenced code kept readable, markup characters removed. Pure.

function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

const inline = (s: string) => s.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');

export function renderPlainMarkdown(markdown: string, width: number): string {
  const out: string[] = [];
  const blocks = markdown.replace(/\r\n/g, '\n').split('\n');
  let paragraph: string[] = [];
  let inFence = false;
  const endParagraph = () => {
    if (paragraph.length) {
      const text = inline(paragraph.join(' '));
      const bullet = /^([-*]|\d+\.)\s+/.exec(text);
      out.push(...(bullet ? wrap(text, width, '  ').map((l, i) => (i === 0 ? l.trimStart() : l)) : wrap(text, width)), '');
    }
    paragraph = [];
  };
  for (const line of blocks) {
    if (/^\s*```/.test(line)) {
      if (!inFence) endParagraph();
      else out.push('');
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(`  ${line}`);
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      endParagraph();
      out.push(inline(heading[1]!), '');
    } else if (line.trim() === '') endParagraph();
    else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      endParagraph();
      paragraph.push(line.trim());
    } else paragraph.push(line.trim());
  }
  endParagraph();
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
