// Reading JSON from the bytes of one line, for indexing files of hundreds of MB: a cursor that checks the
// whole line's syntax while the caller picks out the few members it needs. Everything else is stepped
// over: strings with a native byte search, containers by counting brackets. Long strings can be read as
// a one-line preview of their start without decoding the rest.
// What it accepts is what JSON.parse accepts, except raw control characters inside strings, which it does
// not look for (that would mean visiting every byte of every answer).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OBJECT_END = 0x7d;
const ARRAY_END = 0x5d;

/** Thrown (one shared instance) at the first byte that breaks JSON's grammar. */
export class JsonFault extends Error {}
const FAULT = new JsonFault('not valid JSON');

/** Member names to look for (plain ASCII), prepared for matching against raw bytes. */
export class NameTable {
  /** textHash of each name. */
  private readonly hashes: Int32Array;
  /** By the low bits of a hash: the one name there (its index), -1 for none, -2 for several. */
  private readonly slots = new Int8Array(64).fill(-1);

  constructor(readonly names: readonly string[]) {
    if (names.some((n) => !/^[\x21-\x7e]+$/.test(n))) throw new Error('member names must be plain ASCII');
    this.hashes = Int32Array.from(names, (n) => textHash(n));
    this.hashes.forEach((h, i) => (this.slots[h & 63] = this.slots[h & 63] === -1 ? i : -2));
  }

  /** Index of the name in buf[from, to) (a string's content without escapes) whose textHash is `hash`, or -1. */
  match(buf: Buffer, from: number, to: number, hash: number): number {
    const slot = this.slots[hash & 63];
    if (slot === -1) return -1;
    if (slot >= 0) return this.hashes[slot] === hash && this.same(slot, buf, from, to) ? slot : -1;
    for (let i = 0; i < this.hashes.length; i++) if (this.hashes[i] === hash && this.same(i, buf, from, to)) return i;
    return -1;
  }

  private same(i: number, buf: Buffer, from: number, to: number): boolean {
    const name = this.names[i];
    if (name.length !== to - from) return false;
    for (let k = 0; k < name.length; k++) if (name.charCodeAt(k) !== buf[from + k]) return false;
    return true;
  }
}

/** A hash of a text's UTF-16 code units; for plain ASCII the same as nameHash of its bytes. */
export function textHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** The hash skipString computes while it scans a short string. */
function nameHash(buf: Uint8Array, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
  return h;
}

/** The kind of value at the cursor. */
export const enum JsonType {
  Object,
  Array,
  String,
  Number,
  Boolean,
  Null,
}

/**
 * A position in one line of JSON. Methods move past what they read and throw a JsonFault at the first
 * byte that breaks the grammar, so a caller reads the members it wants and skips the rest.
 */
export class JsonCursor {
  pos: number;
  /** Whether the last string read with `string()` or `stringRange()` had escapes. */
  escaped = false;
  /** Content bounds of the last string stepped over. */
  stringStart = 0;
  stringEnd = 0;
  /** nameHash of the last string, when it was short (at most SHORT_STRING bytes) and had no escapes. */
  private stringHash = 0;
  /** The last string was short, plain ASCII and without escapes: stringHash is its textHash. */
  private stringPlain = false;

  /** Ends at the line's end, so byte searches stop there. */
  /** The line's buffer: it must not change while the line is read. */
  readonly buf: Buffer;

  constructor(
    buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.buf = buf;
    this.pos = start;
  }

  /** The first backslash at or after `from`, or -1; positions at or past `end` mean none in this line. */
  private nextBackslash(from: number): number {
    // Lines of one buffer are read in order, so one search serves every line up to the backslash it found.
    const buf = this.buf;
    if (buf !== backslash.buf || from < backslash.from || (backslash.at >= 0 && from > backslash.at)) {
      backslash.buf = buf;
      backslash.from = from;
      backslash.at = buf.indexOf(BACKSLASH, from);
    }
    return backslash.at >= this.end ? -1 : backslash.at;
  }

  /** The type of the value at the cursor (after whitespace); throws when there is none. */
  type(): JsonType {
    this.ws();
    switch (this.pos < this.end ? this.buf[this.pos] : -1) {
      case 0x7b:
        return JsonType.Object;
      case 0x5b:
        return JsonType.Array;
      case QUOTE:
        return JsonType.String;
      case 0x74:
      case 0x66:
        return JsonType.Boolean;
      case 0x6e:
        return JsonType.Null;
      case 0x2d:
      case 0x30:
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37:
      case 0x38:
      case 0x39:
        return JsonType.Number;
      default:
        throw FAULT;
    }
  }

  /** Nothing but whitespace is left: the line was exactly one value. */
  atEnd(): boolean {
    this.ws();
    return this.pos === this.end;
  }

  ws(): void {
    const buf = this.buf;
    let pos = this.pos;
    while (pos < this.end) {
      const c = buf[pos];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      pos++;
    }
    this.pos = pos;
  }

  /** Enters an object (the cursor must be at one). Then call `member()` until it returns -2. */
  enterObject(): void {
    this.enter(OBJECT_END);
  }

  private first = false;
  private closed = false;

  /**
   * The next member of the object just entered: its index in `names` (the cursor is then at its value,
   * which the caller must read or skip), -1 for a member not in `names` (skip its value too), or -2 when
   * the object has ended. Nested reads between calls are fine: each `enterObject` / `member` pair keeps
   * its own place through the value just read.
   */
  member(names: NameTable): number {
    if (this.closed) {
      this.closed = false;
      return -2;
    }
    // By hand, with locals: this runs for every member the callers look at.
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    while (pos < end && isJsonSpace(buf[pos])) pos++;
    if (!this.first) {
      if (pos >= end) throw FAULT;
      const c = buf[pos++];
      if (c === OBJECT_END) {
        this.pos = pos;
        return -2;
      }
      if (c !== 0x2c) throw FAULT;
      while (pos < end && isJsonSpace(buf[pos])) pos++;
    }
    this.first = false;
    if (pos >= end || buf[pos] !== QUOTE) throw FAULT;
    // The name: short and plain ones are hashed while scanned, the rest take the general path.
    const from = pos + 1;
    const stop = Math.min(end, from + SHORT_STRING + 1);
    let p = from;
    let h = 0;
    while (p < stop) {
      const c = buf[p];
      if (c === QUOTE || c === BACKSLASH) break;
      h = (Math.imul(h, 31) + c) | 0;
      p++;
    }
    let index: number;
    if (p < stop && buf[p] === QUOTE) {
      this.stringStart = from;
      this.stringEnd = p;
      this.escaped = false;
      index = names.match(buf, from, p, h);
      pos = p + 1;
    } else {
      this.pos = pos;
      this.skipString();
      index = this.escaped ? names.names.indexOf(this.decode(this.stringStart, this.stringEnd)) : names.match(buf, this.stringStart, this.stringEnd, nameHash(buf, this.stringStart, this.stringEnd));
      pos = this.pos;
    }
    while (pos < end && isJsonSpace(buf[pos])) pos++;
    if (pos >= end || buf[pos] !== 0x3a) throw FAULT;
    pos++;
    while (pos < end && isJsonSpace(buf[pos])) pos++;
    this.pos = pos;
    return index;
  }

  /** Like `member`, for objects whose names are data (e.g. moderation categories): the name, or undefined at the end. */
  memberName(): string | undefined {
    const index = this.member(EMPTY_NAMES);
    return index === -2 ? undefined : this.lastName();
  }

  /** The name `member` just matched or passed, decoded. */
  lastName(): string {
    return this.decode(this.stringStart, this.stringEnd);
  }

  /** Enters an array (the cursor must be at one). Then call `item()` until it returns false. */
  enterArray(): void {
    this.enter(ARRAY_END);
  }

  /** Steps past the opening bracket; an empty container is closed at once. */
  private enter(closer: number): void {
    this.pos++;
    this.ws();
    const empty = this.pos < this.end && this.buf[this.pos] === closer;
    if (empty) this.pos++;
    this.first = !empty;
    this.closed = empty;
  }

  /** Moves to the next item of the array just entered: false when the array has ended. */
  item(): boolean {
    if (this.closed) {
      this.closed = false;
      return false;
    }
    this.ws();
    if (!this.first) {
      const c = this.next();
      if (c === ARRAY_END) return false;
      if (c !== 0x2c) throw FAULT;
      this.ws();
    }
    this.first = false;
    return true;
  }

  /** Reads a string whole. */
  string(): string {
    this.skipString();
    return this.decode(this.stringStart, this.stringEnd);
  }

  /** textHash of the string `string()` just returned, without a second pass when it was short and plain. */
  lastStringHash(text: string): number {
    return this.stringPlain ? this.stringHash : textHash(text);
  }

  /**
   * Reads a short value (a code, a model, a reason): the same string object each time it repeats, so
   * 50,000 rows saying "stop" cost one string. Long or unusual ones are read as a preview.
   */
  word(maxChars: number): string {
    this.skipString();
    const from = this.stringStart;
    const to = this.stringEnd;
    if (!this.escaped && to - from <= MAX_WORD_BYTES) {
      const buf = this.buf;
      let h = 0x811c9dc5;
      let plain = true;
      for (let i = from; i < to; i++) {
        const b = buf[i];
        if (b <= 0x20 || b >= 0x7f) {
          plain = false;
          break;
        }
        h = Math.imul(h ^ b, 0x01000193);
      }
      if (plain) {
        const known = words.get(h);
        if (known !== undefined && known.length === to - from) {
          let k = 0;
          while (k < known.length && known.charCodeAt(k) === buf[from + k]) k++;
          if (k === known.length) return known;
        }
        const word = buf.toString('latin1', from, to);
        if (known === undefined && words.size < MAX_WORDS) words.set(h, word);
        return word;
      }
    }
    return previewOf(this.buf, from, to, maxChars, this.escaped);
  }

  /** Reads a string as a one-line preview of its start (see `previewOf`). */
  preview(maxChars: number): string {
    this.skipString();
    return previewOf(this.buf, this.stringStart, this.stringEnd, maxChars, this.escaped);
  }

  number(): number {
    const from = this.pos;
    const simple = this.skipNumber();
    const buf = this.buf;
    const negative = buf[from] === 0x2d;
    // Up to 15 digits a running integer is exact; beyond, the engine rounds as JSON.parse does.
    if (simple && this.pos - from <= 15) {
      let n = 0;
      for (let p = negative ? from + 1 : from; p < this.pos; p++) n = n * 10 + (buf[p] - 0x30);
      return negative ? -n : n;
    }
    return Number(buf.toString('latin1', from, this.pos));
  }

  boolean(): boolean {
    const value = this.buf[this.pos] === 0x74;
    this.skipScalar();
    return value;
  }

  /** The value at the cursor as a preview of its JSON text (for bodies of no known shape). */
  rawPreview(maxChars: number): string {
    const from = this.pos;
    this.skipValue();
    return previewOf(this.buf, from, this.pos, maxChars, false);
  }

  /** Moves past one value, checking its syntax, building nothing. Iterative: deep nesting cannot overflow. */
  skipValue(): void {
    const buf = this.buf;
    const end = this.end;
    this.ws();
    let c = this.pos < end ? buf[this.pos] : -1;
    if (c !== 0x7b && c !== 0x5b) {
      this.skipScalar();
      return;
    }
    let stack = skipStack;
    let depth = 0;
    for (;;) {
      // The cursor is at a value whose first byte is c.
      if (c === 0x7b || c === 0x5b) {
        const close = c === 0x7b ? OBJECT_END : ARRAY_END;
        this.pos++;
        this.ws();
        if (this.pos < end && buf[this.pos] === close) this.pos++;
        else {
          if (depth === stack.length) {
            const grown = new Uint8Array(stack.length * 2);
            grown.set(stack);
            stack = skipStack = grown;
          }
          stack[depth++] = close;
          if (close === OBJECT_END) this.skipName();
          c = this.pos < end ? buf[this.pos] : -1;
          continue;
        }
      } else this.skipScalar();
      // After a value: a comma continues its container, a closer ends it (and maybe its parents too).
      for (;;) {
        if (depth === 0) return;
        this.ws();
        const next = this.pos < end ? buf[this.pos++] : -1;
        const close = stack[depth - 1];
        if (next === 0x2c) {
          this.ws();
          if (close === OBJECT_END) this.skipName();
          break;
        }
        if (next !== close) throw FAULT;
        depth--;
      }
      c = this.pos < end ? buf[this.pos] : -1;
    }
  }

  private skipName(): void {
    if (this.pos >= this.end || this.buf[this.pos] !== QUOTE) throw FAULT;
    this.skipString();
    this.colon();
  }

  private colon(): void {
    this.ws();
    if (this.next() !== 0x3a) throw FAULT;
    this.ws();
  }

  private next(): number {
    if (this.pos >= this.end) throw FAULT;
    return this.buf[this.pos++];
  }

  private skipScalar(): void {
    const buf = this.buf;
    const p = this.pos;
    switch (p < this.end ? buf[p] : -1) {
      case QUOTE:
        this.skipString();
        return;
      case 0x74: // true
        if (p + 4 > this.end || buf[p + 1] !== 0x72 || buf[p + 2] !== 0x75 || buf[p + 3] !== 0x65) throw FAULT;
        this.pos = p + 4;
        return;
      case 0x66: // false
        if (p + 5 > this.end || buf[p + 1] !== 0x61 || buf[p + 2] !== 0x6c || buf[p + 3] !== 0x73 || buf[p + 4] !== 0x65) throw FAULT;
        this.pos = p + 5;
        return;
      case 0x6e: // null
        if (p + 4 > this.end || buf[p + 1] !== 0x75 || buf[p + 2] !== 0x6c || buf[p + 3] !== 0x6c) throw FAULT;
        this.pos = p + 4;
        return;
      default:
        this.skipNumber();
    }
  }

  /** JSON's number grammar exactly; true for a plain integer. */
  private skipNumber(): boolean {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    let simple = true;
    if (p < end && buf[p] === 0x2d) p++;
    if (p >= end) throw FAULT;
    if (buf[p] === 0x30) p++;
    else if (buf[p] >= 0x31 && buf[p] <= 0x39) {
      p++;
      while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) p++;
    } else throw FAULT;
    if (p < end && buf[p] === 0x2e) {
      simple = false;
      const digits = ++p;
      while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) p++;
      if (p === digits) throw FAULT;
    }
    if (p < end && (buf[p] === 0x65 || buf[p] === 0x45)) {
      simple = false;
      p++;
      if (p < end && (buf[p] === 0x2b || buf[p] === 0x2d)) p++;
      const digits = p;
      while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) p++;
      if (p === digits) throw FAULT;
    }
    this.pos = p;
    return simple;
  }

  /**
   * Moves past the string at the cursor, checking its escapes; sets stringStart/End and escaped.
   * Short strings are scanned by hand; long ones with native byte searches, so they cost almost nothing.
   */
  private skipString(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos + 1;
    this.stringStart = pos;
    const stop = Math.min(end, pos + SHORT_STRING + 1);
    let h = 0;
    let bits = 0;
    while (pos < stop) {
      const c = buf[pos];
      if (c === QUOTE) {
        this.stringEnd = pos;
        this.stringHash = h;
        this.stringPlain = bits < 0x80;
        this.pos = pos + 1;
        this.escaped = false;
        return;
      }
      if (c === BACKSLASH) break;
      h = (Math.imul(h, 31) + c) | 0;
      bits |= c;
      pos++;
    }
    this.stringPlain = false;
    let escaped = false;
    let quote = buf.indexOf(QUOTE, pos);
    for (;;) {
      if (quote < 0 || quote >= end) throw FAULT;
      const backslash = this.nextBackslash(pos);
      if (backslash < 0 || backslash > quote) break;
      escaped = true;
      pos = backslash + escapeLength(buf, backslash, end);
      if (pos > quote) quote = buf.indexOf(QUOTE, pos); // that quote was escaped
    }
    this.stringEnd = quote;
    this.pos = quote + 1;
    this.escaped = escaped;
  }

  private decode(from: number, to: number): string {
    return this.escaped ? (JSON.parse(this.buf.toString('utf8', from - 1, to + 1)) as string) : this.buf.toString('utf8', from, to);
  }
}

const EMPTY_NAMES = new NameTable([]);
/** The last backslash search: no backslash lies in [from, at) of buf (at -1: none to its end). */
const backslash: { buf?: Buffer; from: number; at: number } = { buf: undefined, from: 0, at: -1 };
/** Strings up to this many bytes are scanned by hand (cheaper than a native call) and hashed on the way. */
const SHORT_STRING = 32;
/** Interned words by hash of their bytes (a colliding word is simply not interned). */
const words = new Map<number, string>();
const MAX_WORDS = 4096;
const MAX_WORD_BYTES = 48;
let skipStack = new Uint8Array(64);

/**
 * The byte ranges of the members of the object in buf[start, end), building nothing: lets an export copy a
 * request or response body byte for byte. Undefined when it is not exactly one JSON object. A name given
 * twice keeps its last value, as JSON.parse does.
 */
export function memberRanges(buf: Buffer, start: number, end: number): Map<string, [number, number]> | undefined {
  const cursor = new JsonCursor(buf, start, end);
  const ranges = new Map<string, [number, number]>();
  try {
    if (cursor.type() !== JsonType.Object) return undefined;
    cursor.enterObject();
    while (cursor.member(EMPTY_NAMES) !== -2) {
      const name = cursor.lastName();
      cursor.ws();
      const from = cursor.pos;
      cursor.skipValue();
      ranges.set(name, [from, cursor.pos]);
    }
    return cursor.atEnd() ? ranges : undefined;
  } catch (e) {
    if (e instanceof JsonFault) return undefined;
    throw e;
  }
}

/** Bytes taken by the escape starting at `at` (a backslash); throws on an invalid one. */
function escapeLength(buf: Buffer, at: number, end: number): number {
  if (at + 1 >= end) throw FAULT;
  switch (buf[at + 1]) {
    case 0x22:
    case 0x5c:
    case 0x2f:
    case 0x62:
    case 0x66:
    case 0x6e:
    case 0x72:
    case 0x74:
      return 2;
    case 0x75:
      if (at + 6 > end) throw FAULT;
      for (let i = at + 2; i < at + 6; i++) if (hexValue(buf[i]) < 0) throw FAULT;
      return 6;
    default:
      throw FAULT;
  }
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** What JavaScript's \s matches, and control characters: all shown as one space. */
function isSpace(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const previewBytes = Buffer.alloc(2 * 1024);
const previewCodes = new Uint16Array(previewBytes.buffer, previewBytes.byteOffset, previewBytes.length / 2);

/**
 * The start of the bytes buf[from, to) as one line: UTF-8 decoded (malformed bytes as U+FFFD), JSON
 * escapes decoded when `escapes`, whitespace runs as one space, at most `maxChars` UTF-16 units, '…'
 * when cut. One pass over the bytes it shows; the rest is never looked at.
 */
export function previewOf(buf: Buffer, from: number, to: number, maxChars: number, escapes = true): string {
  const codes = previewCodes;
  const limit = Math.min(maxChars, codes.length);
  let n = 0;
  let space = true; // drops leading whitespace
  let full = false;
  let i = from;
  while (i < to) {
    let c = buf[i];
    if (c < 0x80 && (c !== BACKSLASH || !escapes)) {
      // Plain ASCII, the common case, without the general path's checks.
      i++;
      if (c <= 0x20) {
        if (!space && n < limit) codes[n++] = 0x20;
        space = true;
      } else if (n < limit) {
        codes[n++] = c;
        space = false;
      } else {
        full = true;
        break;
      }
      continue;
    }
    if (c === BACKSLASH) {
      const e = buf[i + 1];
      if (e === 0x75 && i + 6 <= to) {
        c = (hexValue(buf[i + 2]) << 12) | (hexValue(buf[i + 3]) << 8) | (hexValue(buf[i + 4]) << 4) | hexValue(buf[i + 5]);
        i += 6;
      } else {
        c = e === 0x6e || e === 0x74 || e === 0x72 || e === 0x62 || e === 0x66 ? 0x20 : e;
        i += 2;
      }
    } else {
      // UTF-8: a lead byte and its continuation bytes; anything malformed is U+FFFD.
      const need = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? (c <= 0xef ? 2 : 0) : c >= 0xc2 ? 1 : 0;
      let cp = need === 3 ? c & 0x07 : need === 2 ? c & 0x0f : c & 0x1f;
      let k = 1;
      while (k <= need && i + k < to && (buf[i + k] & 0xc0) === 0x80) cp = (cp << 6) | (buf[i + k++] & 0x3f);
      if (need === 0 || k <= need || (need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
        c = 0xfffd;
        i += need === 0 ? 1 : k;
      } else {
        c = cp;
        i += k;
      }
    }
    if (isSpace(c)) {
      if (!space && n < limit) codes[n++] = 0x20;
      space = true;
      continue;
    }
    const units = c > 0xffff ? 2 : 1;
    if (n + units > limit) {
      full = true;
      break;
    }
    space = false;
    if (units === 2) {
      c -= 0x10000;
      codes[n++] = 0xd800 | (c >> 10);
      codes[n++] = 0xdc00 | (c & 0x3ff);
    } else codes[n++] = c;
  }
  if (full) {
    n = Math.min(n, limit - 1); // room for the ellipsis
    if (n > 0 && codes[n - 1] >= 0xd800 && codes[n - 1] <= 0xdbff) n--; // half a surrogate pair
  }
  if (n > 0 && codes[n - 1] === 0x20) n--;
  if (full) codes[n++] = 0x2026; // …
  // One native call makes the string (one byte per character when it can be).
  return LITTLE_ENDIAN ? previewBytes.toString('utf16le', 0, n * 2) : String.fromCharCode(...codes.subarray(0, n));
}
