import { defineConfig } from 'vite';

// The SPA: Preact with JSX through Oxc (no plugin), built to static files. `npm run web:dev` serves it
// on :5173 with /api proxied to the local host on :7071 (npm start), so both origins are the same.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', sourcemap: true, reportCompressedSize: false, chunkSizeWarningLimit: 400 },
  server: { port: 5173, strictPort: true, proxy: { '/api': 'http://localhost:7071' } },
});
