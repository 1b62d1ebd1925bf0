// A strict little XML reader for the JUnit tests: well-formedness (tags nest, attributes quoted,
// only the five predefined entities, no raw < or & in text) and a tree to check the JUnit
// schema's structure on. Throws on anything else.
export interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/[<]/.test(raw)) throw new Error(`raw < in ${where}`);
  return raw.replace(/&([a-z]+);|&/g, (m, name: string | undefined) => {
    if (!name || !(name in ENTITY)) throw new Error(`bad entity ${m} in ${where}`);
    return ENTITY[name]!;
  });
}

export function parseXml(xml: string): XmlNode {
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlNode = { tag: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (text.length > 0) stack[stack.length - 1]!.text += decode(text, 'text');
    if (lt === -1) break;
    rest = rest.slice(lt);
    const close = /^<\/([A-Za-z][\w.-]*)\s*>/.exec(rest);
    if (close) {
      const top = stack.pop();
      if (!top || top.tag !== close[1]) throw new Error(`</${close[1]}> closes <${top?.tag}>`);
      rest = rest.slice(close[0].length);
      continue;
    }
    const open = /^<([A-Za-z][\w.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*"[^"]*")*)\s*(\/?)>/.exec(rest);
    if (!open) throw new Error(`not a tag: ${rest.slice(0, 40)}`);
    const attrs: Record<string, string> = {};
    for (const a of open[2]!.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*"([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`attribute ${a[1]} twice`);
      attrs[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
    }
    const node: XmlNode = { tag: open[1]!, attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(node);
    if (open[3] !== '/') stack.push(node);
    rest = rest.slice(open[0].length);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.tag}> is never closed`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('not exactly one root element');
  return root.children[0]!;
}

const need = (n: XmlNode, names: string[]) => {
  for (const a of names) if (!(a in n.attrs)) throw new Error(`<${n.tag}> lacks ${a}`);
};
const isCount = (v: string | undefined) => v !== undefined && /^\d+$/.test(v);

/** The common JUnit schema (the Jenkins/Ant junit-10.xsd subset every reader accepts): checks
 *  element names and nesting, required attributes and that the counts add up. Returns the cases. */
export function validateJunit(xml: string): XmlNode[] {
  const root = parseXml(xml);
  if (root.tag !== 'testsuites') throw new Error(`root is <${root.tag}>`);
  const cases: XmlNode[] = [];
  for (const suite of root.children) {
    if (suite.tag !== 'testsuite') throw new Error(`<testsuites> holds <${suite.tag}>`);
    need(suite, ['name', 'tests', 'failures', 'errors']);
    const mine = suite.children.filter((c) => c.tag === 'testcase');
    for (const c of suite.children) if (!['testcase', 'properties', 'system-out', 'system-err'].includes(c.tag)) throw new Error(`<testsuite> holds <${c.tag}>`);
    for (const c of mine) {
      need(c, ['name', 'classname']);
      if (c.children.length > 1) throw new Error('a testcase with more than one outcome');
      for (const f of c.children) if (!['failure', 'error', 'skipped'].includes(f.tag)) throw new Error(`<testcase> holds <${f.tag}>`);
    }
    const failures = mine.filter((c) => c.children[0]?.tag === 'failure').length;
    const errors = mine.filter((c) => c.children[0]?.tag === 'error').length;
    if (!isCount(suite.attrs.tests) || Number(suite.attrs.tests) !== mine.length) throw new Error(`tests=${suite.attrs.tests} but ${mine.length} testcases`);
    if (Number(suite.attrs.failures) !== failures || Number(suite.attrs.errors) !== errors) throw new Error('failures/errors do not match');
    cases.push(...mine);
  }
  if (root.attrs.tests !== undefined && Number(root.attrs.tests) !== cases.length) throw new Error('testsuites tests= does not match');
  return cases;
}
