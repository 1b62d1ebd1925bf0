// parseLesson: the format v1 (lessons/README.md) to the Lesson model, and file:line errors for
// every malformed fixture in test/fixtures/lessons-malformed/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LessonFormatError, parseLesson } from '../src/domain/lesson/parse-lesson.js';
import { slugifyHeading } from '../src/domain/lesson/slug.js';
import { checkOf, lessonWith } from './checks-parse-helper.js';

const readmeExample = () => {
  const readme = readFileSync(new URL('../lessons/README.md', import.meta.url), 'utf8');
  return /````markdown\n([\s\S]*?)\n````/.exec(readme)![1]!;
};

describe('parseLesson', () => {
  it('parses the complete example in lessons/README.md', () => {
    const lesson = parseLesson(readmeExample(), 'lessons/04-bridge.md');
    expect(lesson).toMatchObject({
      id: 'bridge',
      number: 4,
      title: 'The bridge',
      requires: 'veth-pair',
      setup: 'ip link del veth-fox 2>/dev/null || true\n',
      files: { '/etc/kubernetes/manifests/kube-apiserver.yaml': 'apiVersion: v1\n...\n' },
      intro: 'Prose before the first step introduces the lesson.',
      source: { file: 'lessons/04-bridge.md' },
    });
    const [step] = lesson.steps;
    expect(step).toMatchObject({
      id: 'create-the-bridge',
      title: 'Create the bridge',
      number: 1,
      line: 19,
      solution: 'ip link add vnet-animals type bridge\nip link set vnet-animals up',
      hints: ['A bridge is a link of type bridge, created with `ip link add`.', '`ip link add vnet-animals type bridge`, then `ip link set vnet-animals up`.'],
    });
    expect(step!.body).toContain('```sh\nip link add vnet-animals type bridge');
    expect(step!.body).not.toContain('yaml step');
    expect(step!.checks).toEqual([
      { kind: 'link', name: 'the bridge exists', message: 'There is no bridge called vnet-animals yet.', in: 'host', line: 30, link: 'vnet-animals', exists: true, type: 'bridge' },
      { kind: 'link', name: 'the bridge is up', message: 'vnet-animals is not switched on.', in: 'host', line: 34, link: 'vnet-animals', exists: true, up: true },
    ]);
  });

  it('takes a solution block over the shown commands, hides it, and never runs examples', () => {
    const text = lessonWith('  - name: x\n    netns: fox\n    message: m').replace(
      '```sh\ntrue\n```',
      '```sh example\nip tables -t nat -L\n```\n\n```sh\nip netns add fox\n```\n\n```sh solution\nip netns add fox 2>/dev/null || true\n```',
    );
    const [step] = parseLesson(text, 't.md').steps;
    expect(step!.solution).toBe('ip netns add fox 2>/dev/null || true');
    expect(step!.body).toContain('ip tables -t nat -L');
    expect(step!.body).not.toContain('2>/dev/null');
  });

  it('joins several sh blocks in order and ignores headings inside code blocks', () => {
    const text = lessonWith('  - name: x\n    netns: fox\n    message: m').replace('```sh\ntrue\n```', '```sh\nip netns add fox\n```\n\n```sh\n## not a heading\nip netns add bear\n```');
    const lesson = parseLesson(text, 't.md');
    expect(lesson.steps).toHaveLength(1);
    expect(lesson.steps[0]!.solution).toBe('ip netns add fox\n## not a heading\nip netns add bear');
  });

  it('reads every check kind with its defaults', () => {
    expect(checkOf('  - name: n\n    message: m\n    reach: 203.0.113.2\n    from: internet\n    body: hello')).toMatchObject({
      kind: 'reach', reach: '203.0.113.2', from: 'internet', in: 'internet', port: 80, http: { path: '/', body: 'hello' }, fails: false,
    });
    expect(checkOf('  - name: n\n    message: m\n    reach: 198.51.100.10\n    from: fox\n    fails: true')).toMatchObject({ kind: 'reach', fails: true });
    expect(checkOf('  - name: n\n    message: m\n    reach: 198.51.100.10\n    from: fox')).not.toHaveProperty('port');
    expect(checkOf('  - name: n\n    message: m\n    sysctl: net.ipv4.ip_forward\n    value: 1')).toMatchObject({ kind: 'sysctl', value: '1', in: 'host' });
    expect(checkOf('  - name: n\n    message: m\n    rule:\n      table: nat\n      chain: PREROUTING\n      dport: 80\n      to_ports: 8080')).toMatchObject({
      kind: 'rule', rule: { table: 'nat', chain: 'PREROUTING', dport: '80', toPorts: '8080' },
    });
    expect(checkOf('  - name: n\n    message: m\n    rule:\n      chain: FORWARD')).toMatchObject({ rule: { table: 'filter', chain: 'FORWARD' } });
    expect(checkOf('  - name: n\n    message: m\n    policy: drop\n    chain: FORWARD')).toMatchObject({ kind: 'policy', table: 'filter', chain: 'FORWARD', policy: 'DROP' });
    expect(checkOf('  - name: n\n    message: m\n    listening: 80\n    in: fox\n    address: 192.168.202.11')).toMatchObject({ kind: 'listening', port: 80, address: '192.168.202.11', in: 'fox' });
    expect(checkOf('  - name: n\n    message: m\n    link: veth-fox-br\n    master: null')).toMatchObject({ kind: 'link', master: null });
    expect(checkOf('  - name: n\n    message: m\n    hint: h\n    route: 10.200.1.0/24\n    via: 10.240.0.21\n    in: node-0')).toMatchObject({
      kind: 'route', route: '10.200.1.0/24', via: '10.240.0.21', in: 'node-0', hint: 'h', exists: true,
    });
  });

  it('slugs headings into step ids', () => {
    expect(slugifyHeading('Create the bridge')).toBe('create-the-bridge');
    expect(slugifyHeading('`ip_forward`: on, for now!')).toBe('ip-forward-on-for-now');
    expect(slugifyHeading('Où est le pont ?')).toBe('ou-est-le-pont');
  });
});

// fixture -> the exact message (file:line: what was expected, what was found)
const MALFORMED: Record<string, string> = {
  'no-front-matter.md': 'no-front-matter.md:1: expected front matter starting with a line `---`, found "format: 1"',
  'unclosed-front-matter.md': 'unclosed-front-matter.md:1: expected the front matter to end with a line `---`, found the end of the file',
  'broken-front-matter.md': 'broken-front-matter.md:5: expected valid YAML in the front matter, found a syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  'missing-summary.md': 'missing-summary.md:2: front matter: expected a field "summary" (a one-sentence summary), found none',
  'bad-id.md': 'bad-id.md:3: front matter: expected "id" to be an id of lower-case letters, digits and dashes, like veth-pair, found "Bridge_1"',
  'wrong-format.md': 'wrong-format.md:2: front matter: expected "format" to be format version 1, found number 2',
  'unknown-front-matter-field.md': 'unknown-front-matter-field.md:6: front matter: expected one of the fields format, id, title, summary, requires, setup, files, found "colour"',
  'no-steps.md': 'no-steps.md:7: expected at least one step (a `## ` heading with a ```yaml step block), found none',
  'no-step-block.md': 'no-step-block.md:10: step "Create the bridge": expected one ```yaml step block (its checks), found none',
  'two-step-blocks.md': 'two-step-blocks.md:24: step "Create the bridge": expected one ```yaml step block, found a second one (the first is on line 16)',
  'duplicate-step.md': 'duplicate-step.md:24: expected a step id unique in the lesson, found "create-the-bridge" again (first on line 10)',
  'unknown-check-kind.md': 'unknown-check-kind.md:19: check "the bridge exists": expected a check kind (netns, link, address, route, sysctl, file, rule, policy, reach, listening, shell), found "lnk" (did you mean link?)',
  'missing-message.md': 'missing-message.md:18: check "the bridge exists" (link): expected a field "message" (the sentence shown when the check fails), found none',
  'wrong-field-type.md': 'wrong-field-type.md:20: check "the bridge is up" (link): expected "up" to be true or false, found "yes please"',
  'unknown-check-field.md': 'unknown-check-field.md:20: check "the bridge is up" (link): expected one of the fields name, message, hint, in, link, exists, type, up, master, peer, peer_in, found "upp" (did you mean up?)',
  'rule-without-chain.md': 'rule-without-chain.md:19: check "masquerade" (rule): expected a field "rule.chain" (a chain name, like POSTROUTING), found none',
  'misspelt-solution.md': 'misspelt-solution.md:12: expected `sh`, `sh solution` or `sh example` after the fence, found `sh solutoin`',
  'no-solution.md': 'no-solution.md:10: step "Create the bridge": expected an ```sh block or an ```sh solution block (the commands that complete the step), found none',
  'unclosed-fence.md': 'unclosed-fence.md:12: expected a closing ``` line for the code block opened here, found the end of the file',
  'broken-step-yaml.md': 'broken-step-yaml.md:20: expected valid YAML in the step block, found a syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  'no-checks.md': 'no-checks.md:17: step "Create the bridge": expected "checks" to be a list of at least one check, found an empty list',
};

describe('malformed lessons', () => {
  for (const [name, message] of Object.entries(MALFORMED)) {
    it(`${name} fails with file:line`, () => {
      const text = readFileSync(new URL(`./fixtures/lessons-malformed/${name}`, import.meta.url), 'utf8');
      let error: unknown;
      try {
        parseLesson(text, name);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LessonFormatError);
      expect((error as LessonFormatError).message).toBe(message);
      expect((error as LessonFormatError).line).toBe(Number(message.split(':')[1]));
    });
  }

  it('rejects check details that contradict each other', () => {
    expect(() => checkOf('  - name: n\n    message: m\n    reach: 1.2.3.4\n    http: false\n    body: x')).toThrow(/expected `http: true` with `body:`/);
    expect(() => checkOf('  - name: n\n    message: m\n    address: 192.168.202.11')).toThrow(/expected "address" to be an address with its prefix length/);
    expect(() => checkOf('  - name: n\n    message: m\n    link: a\n    netns: b')).toThrow(/expected one check kind, found netns and link/);
    expect(() => checkOf('  - name: n\n    message: m\n    file: /etc/x\n    matches: "(("')).toThrow(/a valid regular expression/);
    expect(() => checkOf('  - name: n\n    message: m\n    policy: DROP')).toThrow(/expected `chain:`/);
  });
});

describe('hostile lesson YAML', () => {
  const lesson = (front: string) =>
    `---\nformat: 1\nid: evil\ntitle: Evil\nsummary: Tries things.\n${front}\n---\n\n# Evil\n\n## One\n\n\`\`\`sh\ntrue\n\`\`\`\n\n\`\`\`yaml step\nchecks:\n  - name: lo\n    message: m\n    link: lo\n\`\`\`\n`;
  const errorOf = (text: string): LessonFormatError => {
    try {
      parseLesson(text, 'evil.md');
    } catch (e) {
      if (e instanceof LessonFormatError) return e;
      throw e;
    }
    throw new Error('expected a LessonFormatError');
  };

  it('a YAML alias bomb (billion laughs) is a format error at the first alias, not a hang or a bug', () => {
    const levels = ['setup: &a "lol"', 'files:', '  /etc/b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]'];
    const names = 'bcdefghij';
    for (let i = 1; i < names.length; i++) levels.push(`  /etc/${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
    const error = errorOf(lesson(levels.join('\n')));
    expect(error.message).toBe('evil.md:8: expected YAML in the front matter whose aliases stay small, found aliases (*name) that expand to too much (over 100 expansions)');
    // a few aliases are still fine
    expect(parseLesson(lesson('setup: &a "true"\nfiles:\n  /etc/x: *a'), 'evil.md').files).toEqual({ '/etc/x': 'true' });
  });

  it('files: keys are confined to /etc and /root after normalisation, with file:line', () => {
    expect(errorOf(lesson('files:\n  /etc/../usr/bin/ip: x')).message).toBe('evil.md:7: files: expected a plain path under /etc/ or /root/, found "/etc/../usr/bin/ip" (with "..")');
    expect(errorOf(lesson('files:\n  /root/./x: x')).message).toMatch(/^evil\.md:7: files: .*"\."/);
    expect(errorOf(lesson('files:\n  /etc/hosts: a\n  etc/passwd: x')).message).toBe('evil.md:8: files: expected a path under /etc/ or /root/, found "etc/passwd"');
    expect(errorOf(lesson('files:\n  /etc/hosts: a\n  /etc//hosts: b')).message).toBe('evil.md:8: files: expected each file once, found /etc/hosts again (as "/etc//hosts"; first as "/etc/hosts")');
    expect(errorOf(lesson('files:\n  /etc: a')).message).toMatch(/^evil\.md:7: /);
    expect(parseLesson(lesson('files:\n  /etc/ssh//sshd_config: a'), 'evil.md').files).toEqual({ '/etc/ssh/sshd_config': 'a' });
  });
});
