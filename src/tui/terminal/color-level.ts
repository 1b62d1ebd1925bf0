// Colours when CI=false. chalk (Ink's and marked-terminal's) turns colours off whenever a CI
// variable exists at all, even CI=false, which is exactly how people and tests say "not a CI":
// the tutor would lose its green "step complete" and red failures. Ink itself reads CI=false as
// "not CI"; this makes chalk agree, unless colours are refused (NO_COLOR, FORCE_COLOR=0, dumb).
import chalk from 'chalk';

export function colorLevelFor(env: NodeJS.ProcessEnv, isTTY: boolean, current: number): number {
  if (current > 0 || !isTTY) return current;
  if (env.CI !== 'false' && env.CI !== '0') return current;
  if ('NO_COLOR' in env || env.FORCE_COLOR === '0' || env.TERM === 'dumb') return current;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return /256/.test(env.TERM ?? '') ? 2 : 1;
}

export function restoreColors(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WriteStream = process.stdout): void {
  chalk.level = colorLevelFor(env, stream.isTTY === true, chalk.level) as typeof chalk.level;
}
