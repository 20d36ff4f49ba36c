// The view container is in the activity bar and opens the Batches view; the extension host gets the
// (fake) endpoint and key it is started with, and nothing else of the developer's OPENAI_* environment.
import * as assert from 'node:assert';
import { extensionHostEnvironments } from '../harness/codeServer';
import { SkipCheck } from '../harness/skipCheck';
import { openBatchesView, UiCheck, viewTitle, waitForViewContent } from './helpers';

export const checks: UiCheck[] = [
  {
    name: 'the OpenAI Batches view container appears and opens the Batches view',
    async run({ page }) {
      const view = await openBatchesView(page);
      assert.ok(await view.isVisible());
      // One title: the view is named like its container, so VS Code does not say it twice.
      assert.equal(await viewTitle(page), 'OPENAI BATCHES');
      await waitForViewContent(page);
    },
  },
  {
    name: 'the extension host sees exactly the OPENAI_* variables it was started with',
    async run({ server, fake }) {
      const environments = extensionHostEnvironments(server);
      if (!environments) throw new SkipCheck(`only Linux exposes another process's environment (this is ${process.platform})`);
      assert.strictEqual(environments.length, 1, `expected one extension host, found ${environments.length}`);
      const openai = Object.fromEntries(Object.entries(environments[0]).filter(([key]) => /^OPENAI_/i.test(key)));
      assert.deepStrictEqual(openai, { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseUrl });
    },
  },
];
