import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

const apiSchemas = fileURLToPath(new URL('../api/schemas/', import.meta.url));

/**
 * The UI takes only types from the API's schemas ($api): `import type` is erased before bundling, so a module
 * of api/schemas that gets loaded came through a value import, which would put zod and server code in the
 * bundles. Refuse it at build (and dev) time.
 */
function typesOnlyFromApi(): Plugin {
  return {
    name: 'hopflow:types-only-from-api',
    enforce: 'pre',
    load(id) {
      if (id.split('?')[0]?.startsWith(apiSchemas)) {
        this.error(`${id} is imported as a value; the UI imports only types from $api (import type { … })`);
      }
    },
  };
}

export default defineConfig({
  plugins: [typesOnlyFromApi(), sveltekit()],
  server: { port: 3000, strictPort: true },
});
