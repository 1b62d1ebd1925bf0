// Bundles the CLI into one ESM file: one module load at start-up instead of hundreds.
import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

// yoga-layout (Ink's layout engine) reads its inline wasm with fetch() wherever fetch exists; in
// Node that first loads undici (~30-60 ms of the tutor's first frame). The CLI fetches nothing:
// let yoga take its other path and decode the inline base64 directly.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/].*yoga-wasm-base64-esm\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('typeof fetch', 'typeof undefined'),
      loader: 'js',
    }));
  },
};

// chunk names carry a hash: start clean so old chunks do not pile up
await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  // commands are loaded lazily: each is its own chunk
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  logLevel: 'warning',
  // ink imports react-devtools-core only when DEV is set; it is not installed
  external: ['react-devtools-core'],
  banner: {
    // some bundled CommonJS dependencies call require()
    js: "import { createRequire as __ntCreateRequire } from 'node:module'; const require = __ntCreateRequire(import.meta.url);",
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [yogaWithoutFetch],
});
