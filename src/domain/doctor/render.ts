// The doctor's report as text for a terminal: one line per finding (details wrapped to the
// width), the fix under each one that needs it, and one install line per distribution family at
// the end. Pure.
import type { DoctorReport, Finding, Fix } from './types.js';

const MARK = { ok: '✓', missing: '✗', warning: '!' } as const;

/** Words of `text` in lines of at most `width` columns (a longer word stands alone). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

function fixLines(fix: Fix | undefined, indent: string): string[] {
  if (!fix) return [];
  const lines: string[] = [];
  if (fix.debian) lines.push(`fix, Debian/Ubuntu: ${fix.debian}`);
  if (fix.fedora) lines.push(`fix, Fedora:        ${fix.fedora}`);
  if (fix.any) lines.push(...fix.any.split('\n').map((l, i) => (i === 0 ? `fix: ${l}` : `     ${l}`)));
  return lines.map((l) => indent + l);
}

function section(title: string, findings: readonly Finding[], labelWidth: number, columns: number): string[] {
  if (findings.length === 0) return [];
  const lines = [title];
  const pad = ' '.repeat(labelWidth + 6);
  for (const f of findings) {
    const [first = '', ...more] = wrapText(f.detail, Math.max(30, columns - pad.length));
    lines.push(`  ${MARK[f.status]} ${f.label.padEnd(labelWidth)}  ${first}`);
    for (const m of more) lines.push(pad + m);
    if (f.status !== 'ok') lines.push(...fixLines(f.fix, '      '));
  }
  return lines;
}

export function renderDoctor(report: DoctorReport, who: { isRoot: boolean; node: string }, columns = 100): string {
  const labelWidth = Math.max(...report.findings.map((f) => f.label.length));
  const tools = report.findings.filter((f) => f.kind === 'tool');
  const kernel = report.findings.filter((f) => f.kind === 'kernel');
  const lines = [
    `netns-tutor doctor: this machine, as ${who.isRoot ? 'root' : 'an ordinary user'}, node ${who.node}`,
    '',
    ...section('System tools, required', tools.filter((f) => f.required), labelWidth, columns),
    ...section('System tools, optional', tools.filter((f) => !f.required), labelWidth, columns),
    ...section('Kernel (tried inside a throwaway sandbox; the host is not touched)', kernel, labelWidth, columns),
    '',
  ];
  const missingRequired = report.findings.filter((f) => f.required && f.status === 'missing');
  if (missingRequired.length === 0) lines.push('Everything netns-tutor needs is here.');
  else lines.push(...wrapText(`Missing, and needed: ${missingRequired.map((f) => f.label).join('; ')}.`, columns));
  if (report.installAll) {
    lines.push('Install every missing package at once:', `  Debian/Ubuntu: ${report.installAll.debian}`, `  Fedora:        ${report.installAll.fedora}`);
  }
  return `${lines.join('\n')}\n`;
}
