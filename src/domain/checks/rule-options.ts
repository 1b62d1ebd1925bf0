// An iptables-save rule's words parsed into options by meaning: long and short names folded
// together (-s/--source), `!` negation kept, match modules (-m) collected.

export interface RuleOption {
  /** Canonical name: 's', 'd', 'i', 'o', 'p', 'j', 'g', 'm', or the long name without dashes. */
  name: string;
  values: string[];
  negated: boolean;
}

const ALIASES: Record<string, string> = {
  '-s': 's',
  '--source': 's',
  '--src': 's',
  '-d': 'd',
  '--destination': 'd',
  '--dst': 'd',
  '-i': 'i',
  '--in-interface': 'i',
  '-o': 'o',
  '--out-interface': 'o',
  '-p': 'p',
  '--protocol': 'p',
  '-j': 'j',
  '--jump': 'j',
  '-g': 'g',
  '--goto': 'g',
  '-m': 'm',
  '--match': 'm',
  '--destination-port': 'dport',
  '--source-port': 'sport',
};

function canonicalName(word: string): string {
  return ALIASES[word] ?? word.replace(/^-+/, '');
}

/** Parses the words after `-A CHAIN`. Values run until the next word that starts with '-' or is '!'. */
export function parseRuleOptions(args: readonly string[]): RuleOption[] {
  const options: RuleOption[] = [];
  let negate = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '!') {
      negate = true;
      continue;
    }
    if (!word.startsWith('-') || /^-\d/.test(word)) {
      // a stray value: attach it to the previous option
      options.at(-1)?.values.push(word);
      continue;
    }
    const values: string[] = [];
    while (i + 1 < args.length && args[i + 1] !== '!' && !(args[i + 1]!.startsWith('-') && !/^-\d/.test(args[i + 1]!))) {
      values.push(args[++i]!);
    }
    options.push({ name: canonicalName(word), values, negated: negate });
    negate = false;
  }
  return options;
}

export function findOption(options: readonly RuleOption[], ...names: string[]): RuleOption | undefined {
  return options.find((o) => names.includes(o.name));
}
