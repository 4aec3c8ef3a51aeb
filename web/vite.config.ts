// Builds the web app into web/dist, which the server serves at / (src/http/web-app.ts).
// `npm run dev:web` serves it with hot reload and sends API calls to a running server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = process.env.ISOLOIR_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { '/api': server, '/u/': server, '/privacy/': server, '/health': server },
  },
});
