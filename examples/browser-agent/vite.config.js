// vite.config.js - the Vite example's configuration (examples/vite), plus what
// deepagents needs in a page. The wasmsh plugin serves (dev, preview) and emits (build) the files a
// session loads at run time: its worker, the side module, Pyodide. The two
// headers make the page cross-origin isolated, so that cancel() stops a
// running command through shared memory instead of restarting the worker.
import { defineConfig } from 'vite';
import wasmsh from 'wasmsh/vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [wasmsh()],
  // micromatch (through deepagents) reads process.platform, which a page has not
  define: { 'process.platform': JSON.stringify('browser') },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022' },
});
