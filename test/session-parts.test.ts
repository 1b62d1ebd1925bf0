// The session's pure parts: the bounded output buffer, interactive-command detection, the
// command table, and resolving a saved position.
import { describe, expect, it } from 'vitest';
import { actionForKey, completeMetaCommand, parseInput } from '../src/domain/session/command-table.js';
import { nextPosition, resolvePosition } from '../src/domain/session/course-position.js';
import { detectInteractive } from '../src/domain/session/interactive-commands.js';
import { isIncomplete } from '../src/domain/session/shell-syntax.js';
import { appendLines, appendText, cleanLine, closePartial, emptyOutput, MAX_OUTPUT_LINES, visibleLines } from '../src/domain/session/output-buffer.js';
import { makeCourse } from './fixtures/tutor-course-model.js';

describe('output buffer', () => {
  it('joins chunks into lines and keeps the open tail', () => {
    let b = appendText(emptyOutput, 'a\nb', 'stdout');
    b = appendText(b, 'c\n', 'stdout');
    expect(b.lines.map((l) => l.text)).toEqual(['a', 'bc']);
    expect(b.partial).toBeUndefined();
    b = appendText(b, 'tail', 'stdout');
    expect(visibleLines(closePartial(b)).map((l) => l.text)).toEqual(['a', 'bc', 'tail']);
  });

  it('ends an open line when the other stream writes', () => {
    let b = appendText(emptyOutput, 'out', 'stdout');
    b = appendText(b, 'err\n', 'stderr');
    expect(b.lines).toEqual([
      { kind: 'stdout', text: 'out' },
      { kind: 'stderr', text: 'err' },
    ]);
  });

  it('stays bounded however much arrives, and counts what it dropped', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const b = appendText(appendLines(emptyOutput, 'note', 'first'), big, 'stdout');
    expect(b.lines).toHaveLength(MAX_OUTPUT_LINES);
    expect(b.lines.at(-1)!.text).toBe('line 49999');
    expect(b.dropped).toBe(50_001 - MAX_OUTPUT_LINES);
  });

  it("shows bash's messages as a terminal's bash writes them, without the hidden script's line", () => {
    let b = appendText(emptyOutput, 'bash: line 5: readlnk: command not found\nbash: line 1', 'stderr');
    b = appendText(b, '2:    28 Killed                  sleep 5\n', 'stderr');
    b = appendText(b, 'bash: line 3: is what it printed\n', 'stdout');
    expect(b.lines.map((l) => l.text)).toEqual(['bash: readlnk: command not found', 'bash:    28 Killed                  sleep 5', 'bash: line 3: is what it printed']);
  });

  it('removes escapes that would move the cursor or clear the screen', () => {
    expect(cleanLine('\u001b[2J\u001b[Hhello \u001b[1;31mred\u001b[0m\u0007')).toBe('hello red');
    expect(cleanLine('\u001b]0;title\u0007x')).toBe('x');
    expect(cleanLine(' 10%\r 50%\r100%')).toBe('100%');
    expect(cleanLine('a\tb')).toBe('a       b');
  });
});

describe('interactive commands', () => {
  it.each([
    ['bash', 'bash'],
    ['ip netns exec fox bash', 'bash'],
    ['ip netns exec fox sh -i', 'sh'],
    ['sudo ip netns exec fox bash', 'bash'],
    ['nsenter --net=/run/tutor/upstream bash', 'bash'],
    ['tcpdump -i eth0', 'tcpdump'],
    ['ip netns exec fox tcpdump -ni veth-fox', 'tcpdump'],
    ['ip a | less', 'less'],
    ['watch -n1 ip -br a', 'watch'],
    ['vi /etc/sysctl.conf', 'vi'],
    ['top', 'top'],
    ['python3', 'python3'],
    ['nft -i', 'nft'],
  ])('%s needs a terminal (%s)', (command, program) => {
    expect(detectInteractive(command)?.program).toBe(program);
  });

  it.each(['ip a', 'bash -c "ip a"', 'bash ./setup.sh', 'tcpdump -c 3 -i eth0', 'tcpdump -ni eth0 -c5', 'tcpdump -w /tmp/x.pcap', 'ping 203.0.113.1', 'ip netns exec fox ip a', 'python3 -m http.server 80', 'nft list ruleset', 'echo bash', 'mtr -r 198.51.100.10'])(
    '%s runs in the tutor',
    (command) => {
      expect(detectInteractive(command)).toBeUndefined();
    },
  );
});

describe('command table', () => {
  const f = { map: false, diagnose: false };
  it('parses commands, meta-commands and unambiguous prefixes', () => {
    expect(parseInput('  ip a ', f)).toEqual({ kind: 'command', command: 'ip a' });
    expect(parseInput(':hint', f)).toEqual({ kind: 'meta', name: 'hint' });
    expect(parseInput(':sol', f)).toEqual({ kind: 'meta', name: 'solution' });
    expect(parseInput(':s', f)).toMatchObject({ kind: 'unknown-meta' });
    expect(parseInput('', f)).toEqual({ kind: 'empty' });
  });

  it('completes :commands with Tab', () => {
    expect(completeMetaCommand(':he', f)).toBe(':help');
    expect(completeMetaCommand(':s', f)).toBeUndefined();
    expect(completeMetaCommand('ip', f)).toBeUndefined();
  });

  it('maps keys per context, with global keys everywhere', () => {
    expect(actionForKey('up', 'prompt')).toBe('history-back');
    expect(actionForKey('up', 'picker')).toBe('picker-up');
    expect(actionForKey('ctrl+c', 'picker')).toBe('interrupt');
    expect(actionForKey('x', 'prompt')).toBeUndefined();
  });
});

describe('positions', () => {
  const course = makeCourse();
  it('walks steps, then lessons, then ends', () => {
    expect(nextPosition(course, { lessonIndex: 0, stepIndex: 0 })).toEqual({ lessonIndex: 0, stepIndex: 1 });
    expect(nextPosition(course, { lessonIndex: 0, stepIndex: 1 })).toEqual({ lessonIndex: 1, stepIndex: 0 });
    expect(nextPosition(course, { lessonIndex: 1, stepIndex: 0 })).toBeUndefined();
  });

  it('resolves a saved position, and explains when it no longer exists', () => {
    expect(resolvePosition(course, { lessonId: 'namespaces', stepId: 'make-bear' })).toEqual({ position: { lessonIndex: 0, stepIndex: 1 } });
    expect(resolvePosition(course, { lessonId: 'gone', stepId: 'x' }).note).toMatch(/not in this course/);
    expect(resolvePosition(course, { lessonId: 'links', stepId: 'x' })).toMatchObject({ position: { lessonIndex: 1, stepIndex: 0 } });
  });
});

describe('unfinished shell text', () => {
  it.each([
    'for ns in fox bear; do',
    'for ns in fox bear; do\n  ip -n $ns link set lo up',
    'if true; then',
    'while true',
    'echo "unclosed',
    "echo 'unclosed",
    'ip link add veth-fox type veth \\',
    'ip a |',
    'true &&',
    '{ echo a',
    '(cd /tmp',
    'echo $(date',
    'cat > /root/x.json <<EOF\n{',
    "cat <<-'END'\n\tbody",
    'case $x in',
  ])('%j is unfinished', (text) => {
    expect(isIncomplete(text)).toBe(true);
  });

  it.each([
    'ip a',
    'for ns in fox bear; do\n  ip -n $ns link set lo up\ndone',
    'if true; then echo yes; fi',
    'echo if then do',
    'echo "a;b" | grep a',
    "echo 'do'",
    'ip link add veth-fox type veth \\\n  peer name veth-bear',
    'sleep 10 &',
    'echo {a,b}',
    'echo $((1 + 2))',
    'cat > /root/x.json <<EOF\n{\n  "a": 1\n}\nEOF',
    'case $x in a) echo a;; *) echo b;; esac',
    'ping -c1 203.0.113.1 # a comment with do and (',
    'echo done',
    '',
  ])('%j is complete', (text) => {
    expect(isIncomplete(text)).toBe(false);
  });
});
