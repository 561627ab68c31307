import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The panel is served by the API server at /admin (src/platform/http/admin-panel.ts); `npm run build` builds it
// into dist/admin (scripts/build.js passes the output directory).
export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: '../dist/admin',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2048,
  },
  server: {
    // `npm run dev:admin`: the API runs on its own port (npm run dev); the panel's requests go there.
    proxy: { '/api': process.env['MAGNETIQ_API'] ?? 'http://127.0.0.1:3000' },
  },
});
