import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { getStream } from '../../src/core/httpStream';

/** A server on loopback that records the headers it got and answers with `handle`. */
async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; seen: http.IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('getStream over real HTTP', () => {
  const headers = { Authorization: 'Bearer sk-test-0123456789', 'api-key': 'azure-key-0123', 'OpenAI-Project': 'proj_1', Accept: 'application/json' };

  it('follows redirects, sending the credentials only to the same origin', async () => {
    const elsewhere = await serve((_req, res) => res.end('the content'));
    const origin = await serve((req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else res.writeHead(307, { location: `${elsewhere.url}/c` }).end();
    });
    try {
      const res = await getStream(`${origin.url}/a`, headers, new AbortController().signal);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'the content');
      assert.deepEqual(origin.seen.map((h) => h.authorization), [headers.Authorization, headers.Authorization]);
      assert.equal(elsewhere.seen[0].authorization, undefined, 'no key for another origin');
      assert.equal(elsewhere.seen[0]['api-key'], undefined, "nor Azure's");
      assert.deepEqual(origin.seen.map((h) => h['api-key']), [headers['api-key'], headers['api-key']]);
      assert.equal(elsewhere.seen[0]['openai-project'], undefined);
      assert.equal(elsewhere.seen[0].accept, 'application/json');
    } finally {
      await origin.close();
      await elsewhere.close();
    }
  });

  it('decodes a compressed body, and leaves an error body readable with its status and headers', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/gz') res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"a":1}\n'.repeat(1000)));
      else res.writeHead(404, { 'x-request-id': 'req_1' }).end('{"error":{"message":"No such File"}}');
    });
    try {
      const gz = await getStream(`${server.url}/gz`, headers, new AbortController().signal);
      assert.equal(await gz.text(), '{"a":1}\n'.repeat(1000));
      const missing = await getStream(`${server.url}/missing`, headers, new AbortController().signal);
      assert.equal(missing.ok, false);
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('X-Request-Id'), 'req_1');
      assert.match(await missing.text(), /No such File/);
    } finally {
      await server.close();
    }
  });
});
