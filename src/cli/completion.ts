// `netns-tutor completion bash|zsh`: a completion script for the commands and options (read from
// the program itself, so it cannot fall behind) and the course's lesson ids (asked for at
// completion time with `--lesson-ids`, so a custom NETNS_TUTOR_LESSONS course completes too).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadCourse } from '../app/course/load-course.js';
import { UsageError } from '../domain/errors.js';

const flagsOf = (c: Command): string[] => [...c.options.flatMap((o) => [o.short, o.long]), '--help'].filter((f): f is string => !!f);

/** Options whose next word is a value, and what completes it: files, or lesson ids. */
const VALUE_OPTIONS = { files: ['--lessons', '--progress'], lessonIds: ['--only'] };

export function bashScript(program: Command): string {
  const commands = [...program.commands.map((c) => c.name()), 'help'];
  const perCommand = program.commands
    .map((c) => {
      const lessonArg = c.name() === 'check' ? ` [[ -z $pos ]] && words="$words $(_netns_tutor_lessons)";` : '';
      const args = c.name() === 'completion' ? ' words="$words bash zsh";' : '';
      return `    ${c.name()}) words="${flagsOf(c).join(' ')}";${lessonArg}${args} ;;`;
    })
    .join('\n');
  return `# netns-tutor completion for bash: eval "$(netns-tutor completion bash)" (e.g. in ~/.bashrc)
_netns_tutor_lessons() { command netns-tutor completion bash --lesson-ids 2>/dev/null; }
_netns_tutor() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" pos="" words i
  case "$prev" in
    ${VALUE_OPTIONS.files.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${VALUE_OPTIONS.lessonIds.join('|')}) COMPREPLY=($(compgen -W "$(_netns_tutor_lessons)" -- "$cur")); return ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${[...VALUE_OPTIONS.files, ...VALUE_OPTIONS.lessonIds].join('|')}) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd="\${COMP_WORDS[i]}"; else pos="\${COMP_WORDS[i]}"; fi ;;
    esac
  done
  case "$cmd" in
    "") words="${commands.join(' ')} ${flagsOf(program).join(' ')} --version" ;;
${perCommand}
    help) words="${commands.join(' ')}" ;;
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _netns_tutor netns-tutor
`;
}

/** zsh runs the bash function through its bashcompinit layer. */
export const zshScript = (program: Command): string =>
  `#compdef netns-tutor\n# netns-tutor completion for zsh: eval "$(netns-tutor completion zsh)" (e.g. in ~/.zshrc)\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(program)}`;

export async function runCompletion(program: Command, shell: string, opts: { lessonIds?: boolean; lessons?: string }): Promise<number> {
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`there is no completion for "${shell}".`, 'Run netns-tutor completion bash, or netns-tutor completion zsh.');
  if (opts.lessonIds) {
    const course = await loadCourse(opts.lessons ? resolve(opts.lessons) : undefined);
    process.stdout.write(course.lessons.map((l) => `${l.id}\n`).join(''));
    return 0;
  }
  process.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
  return 0;
}
