import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { JsonCursor, JsonFault, memberRanges, previewOf } from '../../src/core/results/jsonSkim';

/** Whether the cursor takes `text` as exactly one JSON value. */
function accepts(text: string): boolean {
  const buf = Buffer.from(text, 'utf8');
  const cursor = new JsonCursor(buf, 0, buf.length);
  try {
    cursor.skipValue();
    return cursor.atEnd();
  } catch (e) {
    if (e instanceof JsonFault) return false;
    throw e;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}


describe('JSON cursor (results)', () => {
  it('accepts what JSON.parse accepts and refuses what it refuses', () => {
    const samples = [
      '{}',
      '[]',
      ' {"a":1} ',
      '{"a":[1,2,{"b":null}],"c":"x\\"y","d":true,"e":false,"f":-0.5e+10}',
      '"just a string"',
      '12',
      '-0',
      '{"a":1,}',
      '{"a":1',
      '[1 2]',
      '{"a" 1}',
      '{a:1}',
      '01',
      '1.',
      '.5',
      '-',
      '1e',
      'tru',
      'nulls',
      '{"a":"\\x"}',
      '{"a":"\\u12"}',
      '{"a":"\\u12G4"}',
      '{"a":1}}',
      '[[[[[]]]]]',
      '',
      '{"a":"unterminated}',
      '{"a":"ok"} trailing',
    ];
    for (const text of samples) assert.equal(accepts(text), parses(text), text);
  });

  // fc.json() never holds raw control characters, the one thing the cursor does not look for.
  it('agrees with JSON.parse on generated JSON, and on that JSON damaged', () => {
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', ':', '{', '[', 'x', ' ', '1', '-', '.'), fc.boolean())
      .map(([text, at, piece, cut]) => {
        const i = at % (text.length + 1);
        return cut ? text.slice(0, i) : text.slice(0, i) + piece + text.slice(i);
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), damaged), (text) => assert.equal(accepts(text), parses(text), text)),
      { numRuns: 3000 },
    );
  });

  it('steps over deep nesting without recursion', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.equal(accepts(deep), true);
    assert.equal(accepts('['.repeat(100_000)), false);
  });

  it('finds the byte ranges of an object’s members, the last of a repeated name winning', () => {
    const text = '{"a": {"x": [1, 2]}, "b": "é\\"", "a": null}';
    const buf = Buffer.from(text);
    const ranges = memberRanges(buf, 0, buf.length)!;
    assert.deepEqual([...ranges.keys()], ['a', 'b']);
    const slice = (name: string) => buf.toString('utf8', ...ranges.get(name)!);
    assert.equal(slice('a'), 'null');
    assert.equal(slice('b'), '"é\\""');
    assert.equal(memberRanges(Buffer.from('[1]'), 0, 3), undefined);
    assert.equal(memberRanges(Buffer.from('{"a":1'), 0, 6), undefined);
  });

  it('reads only within the given range of a larger buffer', () => {
    const buf = Buffer.from('{"a":"1"}\n{"b":"2\\n"}\n');
    const first = new JsonCursor(buf, 0, 9);
    first.skipValue();
    assert.equal(first.atEnd(), true);
    const second = new JsonCursor(buf, 10, 22);
    second.skipValue();
    assert.equal(second.atEnd(), true);
  });

  describe('previews', () => {
    const preview = (raw: string, max = 200, escapes = true) => {
      const buf = Buffer.from(raw, 'utf8');
      return previewOf(buf, 0, buf.length, max, escapes);
    };

    it('decode escapes and UTF-8, collapse whitespace and cut with an ellipsis within the limit', () => {
      assert.equal(preview('  Hello,\\n\\n\\tworld  '), 'Hello, world');
      assert.equal(preview('caf\\u00e9 \\"ok\\" \\\\ \\/'), 'café "ok" \\ /');
      assert.equal(preview('a'.repeat(300), 200), `${'a'.repeat(199)}…`);
      assert.equal(preview('a'.repeat(200), 200), 'a'.repeat(200));
      assert.equal(preview('🎉'.repeat(150), 200).length <= 200, true);
      assert.ok(!/[\ud800-\udbff]…$/.test(preview('x🎉'.repeat(100), 200)), 'never half an emoji');
      assert.equal(preview('\\ud83c\\udf89 party'), '🎉 party');
    });

    it('show bytes that are not UTF-8 as replacement characters', () => {
      const buf = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xe2, 0x82]);
      assert.equal(previewOf(buf, 0, buf.length, 200, true), 'a\ufffd\ufffdb\ufffd');
    });

    it('keep raw JSON text as it is when asked not to decode escapes', () => {
      assert.equal(preview('{"a": "x\\ny"}', 200, false), '{"a": "x\\ny"}');
    });
  });
});
