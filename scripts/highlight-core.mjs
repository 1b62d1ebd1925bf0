// The bundle's highlight.js (an esbuild plugin for scripts/build.mjs): marked-terminal colours code
// through cli-highlight, which requires all of highlight.js: 190 languages, 1.5 MB of a 3.1 MB
// bundle, for the few the tutor colours. This hands cli-highlight highlight.js's own core with only
// `lib/core` + `registerLanguage` API). Must cover src/tui/markdown/highlight.ts's HIGHLIGHTED
// names (bash: sh, zsh; shell: console; yaml: yml; ini: toml); test/build-highlight.test.ts holds it.
export const HIGHLIGHT_LANGUAGES = ['bash', 'shell', 'yaml', 'json', 'ini', 'diff'];
export const highlightCore = {
  name: 'highlight-core',
  setup(b) {
    b.onResolve({ filter: /^highlight\.js$/ }, (args) => ({ path: 'highlight.js', namespace: 'highlight-core', pluginData: args.resolveDir }));
    b.onLoad({ filter: /.*/, namespace: 'highlight-core' }, (args) => ({
      contents: [
        "const hljs = require('highlight.js/lib/core');",
        ...HIGHLIGHT_LANGUAGES.map((l) => `hljs.registerLanguage(${JSON.stringify(l)}, require(${JSON.stringify(`highlight.js/lib/languages/${l}`)}));`),
        'module.exports = hljs;',
      ].join('\n'),
      loader: 'js',
      resolveDir: args.pluginData,
    }));
  },
};

