import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../../src/core/apiError';
import { READ_CHUNK_BYTES, readLines } from '../../src/core/results/lineReader';

interface Seen {
  line: number;
  offset: number;
  text?: string;
  tooLong?: number;
}

async function collect(file: string, maxLineBytes?: number): Promise<{ seen: Seen[]; lines: number; bytes: number }> {
  const seen: Seen[] = [];
  const result = await readLines(
    file,
    {
      line: (buf, start, end, offset, line) => seen.push({ line, offset, text: buf.toString('latin1', start, end) }),
      tooLong: (offset, length, line) => seen.push({ line, offset, tooLong: length }),
    },
    { maxLineBytes },
  );
  return { seen, ...result };
}

describe('readLines (results)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lines-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: Buffer | string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  it('gives every line with its exact byte offset: CRLF, blank lines, a last line without newline, a BOM', async () => {
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\r\n\n  \r\n{"é":2}\n{"c":3}', 'utf8')]);
    const { seen, lines, bytes } = await collect(write('a.jsonl', content));
    assert.equal(lines, 5);
    assert.equal(bytes, content.length);
    assert.deepEqual(
      seen.map((s) => [s.line, s.offset, s.text]),
      [
        [1, 3, '{"a":1}'],
        [2, 12, ''],
        [3, 13, '  '],
        [4, 17, Buffer.from('{"é":2}').toString('latin1')],
        [5, 26, '{"c":3}'],
      ],
    );
    // The offsets point at the lines in the file.
    for (const s of seen) assert.equal(content.toString('latin1', s.offset, s.offset + s.text!.length), s.text);
  });

  it('joins lines that span read chunks, byte for byte, with bytes that are not UTF-8', async () => {
    const lines: Buffer[] = [];
    let size = 0;
    for (let i = 0; size < 3 * READ_CHUNK_BYTES; i++) {
      const line = Buffer.concat([Buffer.from(`{"i":${i},"x":"`), Buffer.alloc((i * 7919) % 40_000, i % 2 ? 0xff : 0x61), Buffer.from('"}')]);
      lines.push(line);
      size += line.length + 1;
    }
    const content = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
    const { seen } = await collect(write('b.jsonl', content));
    assert.equal(seen.length, lines.length);
    let offset = 0;
    seen.forEach((s, i) => {
      assert.equal(s.offset, offset, `line ${i + 1}`);
      assert.ok(Buffer.from(s.text!, 'latin1').equals(lines[i]), `line ${i + 1}`);
      offset += lines[i].length + 1;
    });
  });

  it('reports a line over the limit by offset and length only, and goes on', async () => {
    const long = 'x'.repeat(5000);
    const { seen } = await collect(write('c.jsonl', `{"a":1}\n${long}\r\n{"b":2}`), 1000);
    assert.deepEqual(seen, [
      { line: 1, offset: 0, text: '{"a":1}' },
      { line: 2, offset: 8, tooLong: 5000 },
      { line: 3, offset: 5010, text: '{"b":2}' },
    ]);
  });

  it('reads an empty file as no lines', async () => {
    const { seen, lines, bytes } = await collect(write('d.jsonl', ''));
    assert.deepEqual([seen.length, lines, bytes], [0, 0, 0]);
  });

  it('stops when cancelled', async () => {
    const file = write('e.jsonl', Buffer.alloc(4 * READ_CHUNK_BYTES, '{"a":1}\n'));
    const controller = new AbortController();
    let count = 0;
    const reading = readLines(file, { line: () => void (++count === 10 && controller.abort()), tooLong: () => undefined }, { signal: controller.signal });
    await assert.rejects(reading, (e: ApiError) => e.isAborted);
    assert.ok(count < 4 * READ_CHUNK_BYTES / 8);
  });
});
