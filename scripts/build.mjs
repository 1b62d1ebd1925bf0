// Bundles the CLI into one ESM file: one module load at start-up instead of hundreds.
import { build } from 'esbuild';

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
});
