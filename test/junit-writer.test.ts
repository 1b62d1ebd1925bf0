// The JUnit writer: its output parses as XML and holds the common JUnit schema's structure, with
// hostile text (quotes, <, &, control characters, colour codes) escaped, and counts that add up.
import { describe, expect, it } from 'vitest';
import { escapeXml, renderJunit, suitesByClass, type JunitCase } from '../src/domain/report/junit.js';
import { parseXml, validateJunit } from './junit-xml.js';

const hostile = `a "quoted" <tag> & 'apos' \u001b[31mred\u001b[0m \u0007bell ]]> done`;

describe('renderJunit', () => {
  const cases: JunitCase[] = [
    { name: 'step 1', classname: 'bridge', outcome: 'passed', seconds: 0.5 },
    { name: hostile, classname: 'bridge', outcome: 'failed', message: `line one ${hostile}\nline two`, detail: hostile },
    { name: 'broken', classname: 'nat', outcome: 'error', message: 'the sandbox failed' },
    { name: 'later', classname: 'nat', outcome: 'skipped', message: 'not reached' },
  ];
  const xml = renderJunit('netns-tutor check', suitesByClass(cases));

  it('validates against the JUnit structure with the right counts', () => {
    const out = validateJunit(xml);
    expect(out.map((c) => c.attrs.name)).toEqual(['step 1', 'a "quoted" <tag> & \'apos\' red bell ]]> done', 'broken', 'later']);
    const root = parseXml(xml);
    expect(root.attrs).toMatchObject({ tests: '4', failures: '1', errors: '1', skipped: '1' });
    expect(root.children.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      ['bridge', '2', '1'],
      ['nat', '2', '0'],
    ]);
  });

  it('keeps the failure message to its first line and the detail in the body', () => {
    const failure = validateJunit(xml)[1]!.children[0]!;
    expect(failure.tag).toBe('failure');
    expect(failure.attrs.message).not.toContain('line two');
    expect(failure.text).toContain('<tag>');
  });

  it('writes properties (seed, score) and an empty document for no cases', () => {
    const withProps = renderJunit('drill', [{ name: 'drill', cases: [], properties: { seed: 7, 'pass mark': '66%' } }]);
    const suite = parseXml(withProps).children[0]!;
    expect(suite.children[0]!.children.map((p) => [p.attrs.name, p.attrs.value])).toEqual([
      ['seed', '7'],
      ['pass mark', '66%'],
    ]);
    expect(validateJunit(renderJunit('none', []))).toEqual([]);
  });

  it('the reader used here rejects what is not well-formed (so the checks above can fail)', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a x="1 & 2"/>')).toThrow();
    expect(() => validateJunit('<testsuites><testsuite name="x" tests="2" failures="0" errors="0"><testcase name="a" classname="c"/></testsuite></testsuites>')).toThrow(/tests=2/);
    expect(escapeXml('\u0000<&')).toBe('&lt;&amp;');
  });
});
