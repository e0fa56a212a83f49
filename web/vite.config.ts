// Vite: one multi-page build with two apps, both served by the shuxiang binary from web/dist:
//   m/index.html     -> dist/m/index.html      the resident app (Vant), history routes under /m/
//   admin/index.html -> dist/admin/index.html  the admin console (Element Plus), under /admin/
// Hashed, shared chunks go to dist/assets/. `npm run dev` serves both with the same history
// fallbacks and proxies /api (and the documents' /yjs rooms) to a local server on 127.0.0.1:8080.
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const API_TARGET = process.env.SX_API || 'http://127.0.0.1:8080';
const root = fileURLToPath(new URL('.', import.meta.url));

// Vant's icon font is a data: URI with a fallback on a public CDN. The server's Content Security
// Policy (default-src 'self') allows neither, and a self-hosted deployment should not call out to
// a CDN anyway, so the font is written to a local file and the @font-face points there instead.
function vantIconFont(): Plugin {
  const file = `${root}.generated/vant-icon.woff2`;
  return {
    name: 'sx-vant-icon-font',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/.test(id)) return null;
      const m = /src:url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)[^;}]*/.exec(code);
      if (!m) this.error('vant icon @font-face not found; check the Vant version');
      const font = Buffer.from(m![1], 'base64');
      if (!existsSync(file) || !readFileSync(file).equals(font)) {
        mkdirSync(`${root}.generated`, { recursive: true });
        writeFileSync(file, font);
      }
      return { code: code.replace(m![0], 'src:url("/.generated/vant-icon.woff2") format("woff2")'), map: null };
    },
  };
}

// History-mode fallback for the dev server: /m/anything -> m/index.html, /admin/... likewise.
function historyFallback(): Plugin {
  return {
    name: 'sx-history-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url || '';
        const path = url.split('?')[0];
        for (const app of ['m', 'admin']) {
          if (path === `/${app}` || (path.startsWith(`/${app}/`) && !/\.[a-z0-9]+$/i.test(path))) {
            req.url = `/${app}/index.html`;
            break;
          }
        }
        next();
      });
    },
  };
}

export default defineConfig({
  base: '/',
  resolve: { alias: { '@': `${root}src` } },
  plugins: [vantIconFont(), vue(), historyFallback()],
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // WeChat's built-in browser and older phones: stay on ES2020-era engines.
    target: ['es2020', 'chrome87', 'safari14', 'firefox78', 'edge88'],
    cssTarget: ['chrome87', 'safari14'],
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: {
        m: `${root}m/index.html`,
        admin: `${root}admin/index.html`,
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': {
        target: API_TARGET,
        changeOrigin: true,
        // The server's CSRF check wants Origin to be its own origin.
        configure(proxy) {
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', API_TARGET);
          });
        },
      },
      // The documents' Yjs sync rooms (WebSocket), same origin as the app.
      '/yjs': {
        target: API_TARGET,
        ws: true,
        changeOrigin: true,
        configure(proxy) {
          proxy.on('proxyReqWs', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', API_TARGET);
          });
        },
      },
    },
  },
});
