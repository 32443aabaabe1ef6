import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const apiTarget = process.env.SCRM_API_TARGET ?? 'http://localhost:3000';
const srcDir = decodeURIComponent(new URL('./src', import.meta.url).pathname);
const outDir = decodeURIComponent(new URL('./dist', import.meta.url).pathname);
const page = (name: string) => decodeURIComponent(new URL(`./${name}`, import.meta.url).pathname);

// https://vite.dev/config/
export default defineConfig({
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@': srcDir },
  },
  define: {
    // vue-i18n: use the runtime-only build in production (messages are plain objects, no runtime compiler needed for JIT)
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      '/healthz': { target: apiTarget, changeOrigin: true },
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // the console, the chat sidebar with its sandbox stand-in (served at /sidebar and /sidebar/sandbox), the technician page (/m)
      input: { main: page('index.html'), sidebar: page('sidebar.html'), 'sidebar-sandbox': page('sidebar-sandbox.html'), m: page('m.html') },
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
});
