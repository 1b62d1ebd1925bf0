// JUnit XML for autograders (GitHub Classroom, GitLab, Jenkins): one testsuite per lesson, drill
// or exam, one testcase per step, fault or task, a <failure> when it did not pass. Pure: data in,
// text out.

export type JunitOutcome = 'passed' | 'failed' | 'error' | 'skipped';

export interface JunitCase {
  name: string;
  /** The group the case belongs to, written as classname (a lesson id, "drill", "exam"). */
  classname: string;
  outcome: JunitOutcome;
  /** Why it failed (the first line becomes the failure's message attribute). */
  message?: string;
  /** The longer text (evidence, the checks' results). */
  detail?: string;
  seconds?: number;
}

export interface JunitSuite {
  name: string;
  cases: readonly JunitCase[];
  seconds?: number;
  /** Written as <properties>: the seed, the score, the pass mark. */
  properties?: Readonly<Record<string, string | number>>;
}

// XML 1.0 has no escape for most control characters: they are dropped, not escaped
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text fit for an XML attribute or element (also strips ANSI colour codes). */
export function escapeXml(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const secs = (s: number | undefined) => (s ?? 0).toFixed(3);
const count = (cases: readonly JunitCase[], o: JunitOutcome) => cases.filter((c) => c.outcome === o).length;

function renderCase(c: JunitCase): string {
  const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="${secs(c.seconds)}"`;
  if (c.outcome === 'passed') return `${open}/>`;
  if (c.outcome === 'skipped') return `${open}>\n      <skipped${c.message ? ` message="${escapeXml(c.message)}"` : ''}/>\n    </testcase>`;
  const tag = c.outcome === 'error' ? 'error' : 'failure';
  const message = (c.message ?? c.outcome).split('\n')[0] ?? '';
  return `${open}>\n      <${tag} message="${escapeXml(message)}" type="${tag}">${escapeXml(c.detail ?? c.message ?? '')}</${tag}>\n    </testcase>`;
}

function renderSuite(s: JunitSuite, id: number): string {
  const props = Object.entries(s.properties ?? {});
  const head = `  <testsuite id="${id}" name="${escapeXml(s.name)}" tests="${s.cases.length}" failures="${count(s.cases, 'failed')}" errors="${count(s.cases, 'error')}" skipped="${count(s.cases, 'skipped')}" time="${secs(s.seconds)}">`;
  const propsXml = props.length === 0 ? [] : ['    <properties>', ...props.map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(String(v))}"/>`), '    </properties>'];
  return [head, ...propsXml, ...s.cases.map(renderCase), '  </testsuite>'].join('\n');
}

/** The document: <testsuites> with totals, then each suite. */
export function renderJunit(name: string, suites: readonly JunitSuite[]): string {
  const all = suites.flatMap((s) => s.cases);
  const time = suites.reduce((t, s) => t + (s.seconds ?? 0), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${all.length}" failures="${count(all, 'failed')}" errors="${count(all, 'error')}" skipped="${count(all, 'skipped')}" time="${secs(time)}">`,
    ...suites.map(renderSuite),
    '</testsuites>',
    '',
  ].join('\n');
}

/** Cases grouped into suites by classname, in first-seen order. */
export function suitesByClass(cases: readonly JunitCase[]): JunitSuite[] {
  const names = [...new Set(cases.map((c) => c.classname))];
  return names.map((name) => {
    const mine = cases.filter((c) => c.classname === name);
    return { name, cases: mine, seconds: mine.reduce((t, c) => t + (c.seconds ?? 0), 0) };
  });
}
