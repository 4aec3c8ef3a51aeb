// Builds the web app into web/dist, which the server serves at / (src/http/web-app.ts).
// `npm run dev:web` serves it with hot reload and sends API calls to a running server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = process.env.ISOLOIR_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // No source maps in what is served: they would double the download and help no user.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': server,
      '/u/': server,
      '/privacy/': server,
      '/m/': server,
      '/r/': server,
      '/health': server,
    },
  },
});
