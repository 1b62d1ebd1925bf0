// The diagnosis as text for the terminal: the verdict, the fault (what, evidence, fix) or the
// path with its NAT. Monochrome; labels carry the meaning. Pure.
import type { Diagnosis, Hop } from './types.js';
import { probeWhy } from '../checks/probe-types.js';

function target(d: Diagnosis): string {
  return d.to.port === undefined ? `${d.to.address} (ping)` : `${d.to.address}:${d.to.port} (tcp)`;
}

function describeHop(h: Hop): string {
  const parts: string[] = [];
  if (h.in) parts.push(`in ${h.in}`);
  if (h.action === 'sent' || h.action === 'routed') parts.push(`${h.action} out ${h.out ?? '?'}${h.via ? ` via ${h.via}` : ''}`);
  else if (h.action.startsWith('bridged')) parts.push(`${h.action}${h.out ? ` to ${h.out}` : ''}`);
  else parts.push(h.action);
  return parts.join(', ') + (h.nat ? `   [NAT: ${h.nat}]` : '');
}

function pathLines(d: Diagnosis, direction: 'there' | 'back'): string[] {
  const hops = d.path.filter((h) => h.direction === direction);
  const width = Math.max(0, ...hops.map((h) => h.namespace.length));
  return hops.map((h) => `    ${h.namespace.padEnd(width)}  ${describeHop(h)}`);
}

export function renderDiagnosis(d: Diagnosis): string {
  const out: string[] = [];
  const probe = d.probe ? ` (${probeWhy(d.probe)})` : '';
  const head = `${d.from} -> ${target(d)}`;
  if (d.verdict === 'reachable') {
    out.push(`${head}: reachable${probe}`);
    out.push('  there:', ...pathLines(d, 'there'));
    const back = pathLines(d, 'back');
    if (back.length) out.push('  back:', ...back);
  } else {
    out.push(`${head}: ${d.verdict === 'unreachable' ? 'NOT reachable' : 'cannot tell'}${probe}`);
    if (d.fault) {
      out.push('', `First hop that cannot pass: ${d.fault.namespace}`, `  what:     ${d.fault.what}`);
      d.fault.evidence.forEach((e, i) => out.push(`  ${i === 0 ? 'evidence:' : '         '} ${e.line}`, `            (seen with: ${e.command})`));
      d.fault.fix.forEach((f, i) => out.push(`  ${i === 0 ? 'fix:     ' : '         '} ${f}`));
    }
    const there = pathLines(d, 'there');
    const back = pathLines(d, 'back');
    if (there.length) out.push('', '  walked there:', ...there);
    if (back.length) out.push('  walked back:', ...back);
  }
  if (d.notes.length) out.push('', ...d.notes.map((n) => `  note: ${n}`));
  return `${out.join('\n')}\n`;
}
