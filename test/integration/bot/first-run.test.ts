// The bot's first run, as Probot users expect it: without APP_ID, `dist/bot.js` (here its
// source, src/bot/main.ts) starts Probot's manifest flow, which registers the App from app.yml.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../ops/example-server.js';
import { freePort } from './harness.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('the first run', () => {
  it('serves the manifest flow from app.yml when APP_ID is not set', async () => {
    const port = await freePort();
    const child = execa(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
      cwd: ROOT,
      env: { PORT: String(port), HOST: '127.0.0.1', NO_SMEE_SETUP: 'true', PATH: process.env.PATH },
      extendEnv: false,
      reject: false,
    });
    try {
      let page = '';
      await waitFor(
        'the setup page',
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/probot`);
          page = res.ok ? await res.text() : '';
          return page !== '';
        },
        30_000,
      );
      // The form posts app.yml's manifest to GitHub's "create an App from a manifest" page.
      expect(page).toContain('settings/apps/new');
      const manifest = page.replaceAll('&quot;', '"');
      expect(manifest).toContain('"default_events":["issue_comment"]');
      expect(manifest).toContain('"actions":"write"');
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  }, 60_000);
});
