// What one line of a batch file says. A result line: its outcome, HTTP status and error, the answer in a
// line (chat completions, responses, completions, embeddings, moderations, images, or the start of any
// other body), the finish reason, the model and the token usage. A request line: its custom_id and model.
// Read straight from the line's bytes (see jsonSkim.ts): only these members are decoded, and a member of
// the wrong type is treated as absent. The outcome rules are those of the Results contract.
import { formatCount } from '../format';
import { JsonCursor, JsonFault, JsonType, NameTable } from './jsonSkim';
import type { Outcome } from './protocol';

/** Previews are one line of at most this many characters. */
export const PREVIEW_CHARS = 200;

export interface TokenUsage {
  readonly input: number;
  readonly cached: number;
  readonly output: number;
  readonly reasoning: number;
}

export interface ResultFacts {
  readonly customId: string;
  /** textHash(customId), for joining. */
  readonly idHash: number;
  readonly outcome: Exclude<Outcome, 'missing'>;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly model?: string;
  readonly finishReason?: string;
  readonly usage?: TokenUsage;
  /** The answer in a line, or the error message. */
  readonly preview: string;
  /** The whole answer as text (read with mode 'whole' only): the message, output text, completion, or a summary. */
  readonly answer?: string;
}

export interface RequestFacts {
  readonly customId: string;
  /** textHash(customId), for joining. */
  readonly idHash: number;
  readonly model?: string;
}

/** 'preview': long strings are read as one-line previews (indexing); 'whole': read whole (exports). */
export type ReadMode = 'preview' | 'whole';

/** A result line's facts, or why the line cannot be read (a short phrase). */
export function readResultLine(buf: Buffer, start: number, end: number, mode: ReadMode = 'preview'): ResultFacts | string {
  const scan = new ResultScan(new JsonCursor(buf, start, end), mode === 'whole');
  try {
    const problem = scan.line();
    return problem ?? scan.facts();
  } catch (e) {
    if (e instanceof JsonFault) return 'not valid JSON';
    throw e;
  }
}

/** A request line's custom_id and model, or why the line cannot be read. */
export function readRequestLine(buf: Buffer, start: number, end: number): RequestFacts | string {
  const cursor = new JsonCursor(buf, start, end);
  try {
    if (cursor.type() !== JsonType.Object) {
      cursor.skipValue();
      return cursor.atEnd() ? 'not a JSON object' : 'not valid JSON';
    }
    let customId: string | undefined;
    let idHash = 0;
    let customIdType: JsonType | undefined;
    let model: string | undefined;
    cursor.enterObject();
    for (let m = cursor.member(REQUEST_LINE); m !== -2; m = cursor.member(REQUEST_LINE)) {
      const type = cursor.type();
      if (m === 0) {
        customIdType = type;
        if (type === JsonType.String) {
          customId = cursor.string();
          idHash = cursor.lastStringHash(customId);
        } else cursor.skipValue();
      } else if (m === 1 && type === JsonType.Object) {
        cursor.enterObject();
        for (let b = cursor.member(REQUEST_BODY); b !== -2; b = cursor.member(REQUEST_BODY)) {
          if (b === 0 && cursor.type() === JsonType.String) model = cursor.word(PREVIEW_CHARS) || undefined;
          else cursor.skipValue();
        }
      } else cursor.skipValue();
    }
    if (!cursor.atEnd()) return 'not valid JSON';
    if (customId === undefined) return customIdType === undefined ? 'no custom_id' : 'custom_id is not a string';
    return { customId, idHash, model };
  } catch (e) {
    if (e instanceof JsonFault) return 'not valid JSON';
    throw e;
  }
}

const REQUEST_LINE = new NameTable(['custom_id', 'body']);
const REQUEST_BODY = new NameTable(['model']);

const LINE = new NameTable(['custom_id', 'response', 'error']);
const RESPONSE = new NameTable(['status_code', 'body']);
const ERROR = new NameTable(['code', 'message']);
const BODY = new NameTable(['model', 'status', 'incomplete_details', 'error', 'choices', 'output', 'data', 'results', 'usage']);
const CHOICE = new NameTable(['text', 'finish_reason', 'message']);
const MESSAGE = new NameTable(['content', 'refusal', 'tool_calls', 'function_call']);
const PART = new NameTable(['type', 'text', 'refusal']);
const TOOL_CALL = new NameTable(['type', 'function']);
const FUNCTION = new NameTable(['name', 'arguments']);
const OUTPUT_ITEM = new NameTable(['type', 'name', 'arguments', 'input', 'content']);
const DATA_ITEM = new NameTable(['embedding', 'b64_json', 'url', 'revised_prompt']);
const MODERATION = new NameTable(['flagged', 'categories']);
const USAGE = new NameTable([
  'prompt_tokens',
  'completion_tokens',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'prompt_tokens_details',
  'input_tokens_details',
  'completion_tokens_details',
  'output_tokens_details',
]);
const DETAILS = new NameTable(['cached_tokens', 'reasoning_tokens']);
const INCOMPLETE = new NameTable(['reason']);

/** Reads the members the view uses into plain fields, then turns them into facts. */
class ResultScan {
  customId?: string;
  idHash = 0;
  customIdSeen = false;
  /** `error` is present and not null. */
  hasError = false;
  errorCode?: string;
  errorMessage?: string;
  hasResponse = false;
  status?: number;
  /** A body that is not an object: its text, for the preview. */
  bodyText?: string;
  bodyIsObject = false;
  bodyStart = 0;
  bodyEnd = 0;
  model?: string;
  bodyStatus?: string;
  incompleteReason?: string;
  bodyErrorCode?: string;
  bodyErrorMessage?: string;
  hasChoice = false;
  choiceText?: string;
  finishReason?: string;
  hasMessage = false;
  content?: string;
  refusal?: string;
  toolCalls?: string[];
  functionCall?: string;
  hasOutput = false;
  outputTexts?: string[];
  outputCalls?: string[];
  outputRefusal?: string;
  dataCount = -1;
  firstData?: 'embedding' | 'image' | 'other';
  embeddingDims?: number;
  moderations = 0;
  flagged = false;
  flaggedCategories?: string[];
  promptTokens?: number;
  completionTokens?: number;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;

  constructor(
    private readonly c: JsonCursor,
    private readonly whole: boolean,
  ) {}

  /** Reads the line; a phrase when it is not a JSON object with a string custom_id. */
  line(): string | undefined {
    const c = this.c;
    if (c.type() !== JsonType.Object) {
      c.skipValue();
      return c.atEnd() ? 'not a JSON object' : 'not valid JSON';
    }
    c.enterObject();
    for (let m = c.member(LINE); m !== -2; m = c.member(LINE)) {
      const type = c.type();
      if (m === 0) {
        this.customIdSeen = true;
        if (type === JsonType.String) {
          this.customId = c.string();
          this.idHash = c.lastStringHash(this.customId);
        } else c.skipValue();
      } else if (m === 1) {
        if (type === JsonType.Object) this.response();
        else c.skipValue();
      } else if (m === 2) {
        if (type === JsonType.Null) c.skipValue();
        else this.error(type, true);
      } else c.skipValue();
    }
    if (!c.atEnd()) return 'not valid JSON';
    if (this.customId === undefined) return this.customIdSeen ? 'custom_id is not a string' : 'no custom_id';
    return undefined;
  }

  /** A text: a preview of its start, or whole for exports. */
  private text(): string {
    return this.whole ? this.c.string() : this.c.preview(PREVIEW_CHARS);
  }

  /** A short value (code, model, reason): never whole, so a huge one cannot bloat the index. */
  private word(): string | undefined {
    return this.c.word(PREVIEW_CHARS) || undefined;
  }

  private error(type: JsonType, lineLevel: boolean): void {
    const c = this.c;
    if (lineLevel) this.hasError = true;
    let code: string | undefined;
    let message: string | undefined;
    if (type === JsonType.Object) {
      c.enterObject();
      for (let m = c.member(ERROR); m !== -2; m = c.member(ERROR)) {
        if (c.type() !== JsonType.String) c.skipValue();
        else if (m === 0) code = this.word();
        else if (m === 1) message = this.c.preview(PREVIEW_CHARS);
        else c.skipValue();
      }
    } else if (type === JsonType.String) message = this.c.preview(PREVIEW_CHARS);
    else c.skipValue();
    if (lineLevel) {
      this.errorCode = code;
      this.errorMessage = filled(message);
    } else {
      this.bodyErrorCode = code;
      this.bodyErrorMessage = filled(message);
    }
  }

  private response(): void {
    const c = this.c;
    this.hasResponse = true;
    c.enterObject();
    for (let m = c.member(RESPONSE); m !== -2; m = c.member(RESPONSE)) {
      const type = c.type();
      if (m === 0 && type === JsonType.Number) {
        const n = c.number();
        if (Number.isInteger(n)) this.status = n;
      } else if (m === 1) {
        this.bodyStart = c.pos;
        if (type === JsonType.Object) this.body();
        else if (type === JsonType.String) this.bodyText = this.text();
        else if (type === JsonType.Null) c.skipValue();
        else if (this.whole) {
          // Whole: the JSON text as written, strings and all (a preview collapses whitespace).
          c.skipValue();
          this.bodyText = c.buf.toString('utf8', this.bodyStart, c.pos);
        } else this.bodyText = c.rawPreview(PREVIEW_CHARS);
        this.bodyEnd = c.pos;
      } else c.skipValue();
    }
  }

  private body(): void {
    const c = this.c;
    this.bodyIsObject = true;
    c.enterObject();
    for (let m = c.member(BODY); m !== -2; m = c.member(BODY)) {
      const type = c.type();
      switch (m) {
        case 0:
        case 1:
          if (type !== JsonType.String) c.skipValue();
          else if (m === 0) this.model = this.word();
          else this.bodyStatus = this.word();
          break;
        case 2:
          if (type === JsonType.Object) {
            c.enterObject();
            for (let k = c.member(INCOMPLETE); k !== -2; k = c.member(INCOMPLETE)) {
              if (k === 0 && c.type() === JsonType.String) this.incompleteReason = this.word();
              else c.skipValue();
            }
          } else c.skipValue();
          break;
        case 3:
          if (type === JsonType.Null) c.skipValue();
          else this.error(type, false);
          break;
        case 4:
          if (type === JsonType.Array) this.choices();
          else c.skipValue();
          break;
        case 5:
          if (type === JsonType.Array) this.output();
          else c.skipValue();
          break;
        case 6:
          if (type === JsonType.Array) this.data();
          else c.skipValue();
          break;
        case 7:
          if (type === JsonType.Array) this.moderationResults();
          else c.skipValue();
          break;
        case 8:
          if (type === JsonType.Object) this.usage();
          else c.skipValue();
          break;
        default:
          c.skipValue();
      }
    }
  }

  /** choices[0] only: its text (completions) or message (chat), and its finish reason. */
  private choices(): void {
    const c = this.c;
    c.enterArray();
    for (let first = true; c.item(); first = false) {
      if (!first || c.type() !== JsonType.Object) {
        c.skipValue();
        continue;
      }
      this.hasChoice = true;
      c.enterObject();
      for (let m = c.member(CHOICE); m !== -2; m = c.member(CHOICE)) {
        const type = c.type();
        if (m === 0 && type === JsonType.String) this.choiceText = this.text();
        else if (m === 1 && type === JsonType.String) this.finishReason = this.word();
        else if (m === 2 && type === JsonType.Object) this.message();
        else c.skipValue();
      }
    }
  }

  private message(): void {
    const c = this.c;
    this.hasMessage = true;
    c.enterObject();
    for (let m = c.member(MESSAGE); m !== -2; m = c.member(MESSAGE)) {
      const type = c.type();
      if (m === 0 && type === JsonType.String) this.content = this.text();
      else if (m === 0 && type === JsonType.Array) this.content = this.contentParts().join(this.whole ? '\n' : ' ');
      else if (m === 1 && type === JsonType.String) this.refusal = this.text();
      else if (m === 2 && type === JsonType.Array) this.toolCalls = this.toolCallList();
      else if (m === 3 && type === JsonType.Object) this.functionCall = this.functionOf().name;
      else c.skipValue();
    }
  }

  /** Text parts of a content array (chat: {type:"text", text}; responses: {type:"output_text", text}). */
  private contentParts(): string[] {
    const c = this.c;
    const texts: string[] = [];
    c.enterArray();
    while (c.item()) {
      if (c.type() !== JsonType.Object) {
        c.skipValue();
        continue;
      }
      let type: string | undefined;
      let text: string | undefined;
      c.enterObject();
      for (let m = c.member(PART); m !== -2; m = c.member(PART)) {
        if (c.type() !== JsonType.String) c.skipValue();
        else if (m === 0) type = this.word();
        else if (m === 1) text = this.text();
        else if (m === 2) this.outputRefusal ??= this.text();
        else c.skipValue();
      }
      if (text !== undefined && (type === undefined || type === 'text' || type === 'output_text')) texts.push(text);
    }
    return texts;
  }

  private toolCallList(): string[] {
    const c = this.c;
    const calls: string[] = [];
    c.enterArray();
    while (c.item()) {
      if (c.type() !== JsonType.Object) {
        c.skipValue();
        continue;
      }
      let type: string | undefined;
      let fn: { name?: string; args?: string } | undefined;
      c.enterObject();
      for (let m = c.member(TOOL_CALL); m !== -2; m = c.member(TOOL_CALL)) {
        const t = c.type();
        if (m === 0 && t === JsonType.String) type = this.word();
        else if (m === 1 && t === JsonType.Object) fn = this.functionOf();
        else c.skipValue();
      }
      const name = fn?.name ?? type ?? '?';
      calls.push(this.whole ? `${name}(${fn?.args ?? ''})` : name);
    }
    return calls;
  }

  private functionOf(): { name?: string; args?: string } {
    const c = this.c;
    const fn: { name?: string; args?: string } = {};
    c.enterObject();
    for (let m = c.member(FUNCTION); m !== -2; m = c.member(FUNCTION)) {
      if (c.type() !== JsonType.String) c.skipValue();
      else if (m === 0) fn.name = this.word();
      else if (m === 1 && this.whole) fn.args = c.string();
      else c.skipValue();
    }
    return fn;
  }

  /** Responses API: output[] items; messages carry content[] parts, function calls a name. */
  private output(): void {
    const c = this.c;
    this.hasOutput = true;
    c.enterArray();
    while (c.item()) {
      if (c.type() !== JsonType.Object) {
        c.skipValue();
        continue;
      }
      let type: string | undefined;
      let name: string | undefined;
      let args: string | undefined;
      let texts: string[] | undefined;
      c.enterObject();
      for (let m = c.member(OUTPUT_ITEM); m !== -2; m = c.member(OUTPUT_ITEM)) {
        const t = c.type();
        if (m === 0 && t === JsonType.String) type = this.word();
        else if (m === 1 && t === JsonType.String) name = this.word();
        else if ((m === 2 || m === 3) && t === JsonType.String && this.whole) args = c.string();
        else if (m === 4 && t === JsonType.Array) texts = this.contentParts();
        else c.skipValue();
      }
      if (type === 'message' && texts) (this.outputTexts ??= []).push(...texts);
      else if (type === 'function_call' || type === 'custom_tool_call') (this.outputCalls ??= []).push(this.whole ? `${name ?? '?'}(${args ?? ''})` : (name ?? '?'));
    }
  }

  /** Embeddings and images: data[]; the first item says which, and every item counts. */
  private data(): void {
    const c = this.c;
    this.dataCount = 0;
    c.enterArray();
    while (c.item()) {
      if (this.dataCount++ > 0 || c.type() !== JsonType.Object) {
        c.skipValue();
        continue;
      }
      this.firstData = 'other';
      c.enterObject();
      for (let m = c.member(DATA_ITEM); m !== -2; m = c.member(DATA_ITEM)) {
        const t = c.type();
        if (m === 0) {
          this.firstData = 'embedding';
          if (t === JsonType.Array) {
            let dims = 0;
            c.enterArray();
            while (c.item()) {
              c.skipValue();
              dims++;
            }
            this.embeddingDims = dims;
          } else if (t === JsonType.String) {
            // base64 of little-endian float32s (encoding_format: "base64")
            const from = c.pos;
            c.skipValue();
            const chars = c.pos - from - 2;
            this.embeddingDims = Math.floor((chars * 3) / 4 / 4);
          } else c.skipValue();
        } else {
          if (m > 0 && this.firstData === 'other') this.firstData = 'image';
          c.skipValue();
        }
      }
    }
  }

  private moderationResults(): void {
    const c = this.c;
    c.enterArray();
    while (c.item()) {
      if (c.type() !== JsonType.Object) {
        c.skipValue();
        continue;
      }
      this.moderations++;
      c.enterObject();
      for (let m = c.member(MODERATION); m !== -2; m = c.member(MODERATION)) {
        const t = c.type();
        if (m === 0 && t === JsonType.Boolean) this.flagged = c.boolean() || this.flagged;
        else if (m === 1 && t === JsonType.Object) {
          c.enterObject();
          for (let name = c.memberName(); name !== undefined; name = c.memberName()) {
            if (c.type() !== JsonType.Boolean) c.skipValue();
            else if (c.boolean()) {
              const list = (this.flaggedCategories ??= []);
              if (!list.includes(name)) list.push(name);
            }
          }
        } else c.skipValue();
      }
    }
  }

  private usage(): void {
    const c = this.c;
    c.enterObject();
    for (let m = c.member(USAGE); m !== -2; m = c.member(USAGE)) {
      const type = c.type();
      if (m <= 4) {
        const n = type === JsonType.Number ? c.number() : (c.skipValue(), -1);
        if (n >= 0) {
          if (m === 0) this.promptTokens = n;
          else if (m === 1) this.completionTokens = n;
          else if (m === 2) this.inputTokens = n;
          else if (m === 3) this.outputTokens = n;
          else this.totalTokens = n;
        }
      } else if (type === JsonType.Object) {
        c.enterObject();
        for (let d = c.member(DETAILS); d !== -2; d = c.member(DETAILS)) {
          const n = c.type() === JsonType.Number ? c.number() : (c.skipValue(), -1);
          if (n < 0) continue;
          // cached_tokens belong to the input details, reasoning_tokens to the output details.
          if (d === 0 && (m === 5 || m === 6)) this.cachedTokens = n;
          else if (d === 1 && (m === 7 || m === 8)) this.reasoningTokens = n;
        }
      } else c.skipValue();
    }
  }

  facts(): ResultFacts {
    const customId = this.customId!;
    const idHash = this.idHash;
    const status = this.status;
    if (this.hasError) {
      const code = this.errorCode;
      const message = this.errorMessage ?? code ?? 'The request failed without a message.';
      const outcome = code === 'batch_expired' ? 'expired' : code === 'batch_cancelled' ? 'cancelled' : 'failed';
      return { customId, idHash, outcome, status, errorCode: code, errorMessage: message, preview: this.oneLine(message) };
    }
    if (status !== undefined && status >= 200 && status < 300) {
      const answer = this.answer();
      return {
        customId,
        idHash,
        outcome: 'succeeded',
        status,
        model: this.model,
        finishReason: this.finishReason ?? (this.hasOutput || this.incompleteReason !== undefined ? (this.incompleteReason ?? this.bodyStatus) : undefined),
        usage: this.usageFacts(),
        preview: this.oneLine(answer),
        answer: this.whole ? answer : undefined,
      };
    }
    const message =
      this.bodyErrorMessage ??
      (status !== undefined ? `HTTP ${status}${this.bodyText?.trim() ? `: ${this.bodyText}` : ''}` : this.hasResponse ? 'The response has no status code.' : 'The result has neither a response nor an error.');
    return { customId, idHash, outcome: 'failed', status, errorCode: this.bodyErrorCode, errorMessage: message, model: this.model, preview: this.oneLine(message) };
  }

  /** Text read as previews is already one line: only composed text may need cutting. */
  private oneLine(text: string): string {
    return this.whole ? singleLine(text) : clip(text);
  }

  /** The answer, by what the body holds: choices, output, data, results; else the body's own text. */
  private answer(): string {
    const sep = this.whole ? '\n' : ' ';
    if (this.hasMessage) {
      if (filled(this.content)) return this.content!;
      if (this.toolCalls?.length) return this.whole ? this.toolCalls.join('\n') : `Tool calls: ${this.toolCalls.join(', ')}`;
      if (this.functionCall) return `Function call: ${this.functionCall}`;
      return filled(this.refusal) ? `Refusal: ${this.refusal}` : '';
    }
    if (this.hasChoice && this.choiceText !== undefined) return this.choiceText;
    if (this.hasOutput) {
      if (this.outputTexts?.length) return this.outputTexts.join(sep);
      if (this.outputCalls?.length) return this.whole ? this.outputCalls.join('\n') : `Tool calls: ${this.outputCalls.join(', ')}`;
      return filled(this.outputRefusal) ? `Refusal: ${this.outputRefusal}` : '';
    }
    if (this.dataCount > 0 && this.firstData === 'embedding') {
      const head = countLabel(this.dataCount, 'embedding');
      return this.embeddingDims === undefined ? head : `${head} · ${formatCount(this.embeddingDims)} dimensions`;
    }
    if (this.dataCount > 0 && this.firstData === 'image') return countLabel(this.dataCount, 'image');
    if (this.moderations > 0) {
      if (this.flaggedCategories?.length) return `Flagged: ${this.flaggedCategories.join(', ')}`;
      return this.flagged ? 'Flagged' : 'Not flagged';
    }
    if (this.bodyErrorMessage) return this.bodyErrorMessage;
    if (this.bodyText !== undefined) return this.bodyText;
    return this.bodyIsObject ? this.bodyPreview() : '';
  }

  /** A body of no known shape: the start of its JSON text. */
  private bodyPreview(): string {
    const buf = this.c.buf;
    return this.whole ? buf.toString('utf8', this.bodyStart, this.bodyEnd) : new JsonCursor(buf, this.bodyStart, this.bodyEnd).rawPreview(PREVIEW_CHARS);
  }

  /** Chat/completions name usage prompt/completion_tokens; the responses API input/output_tokens. */
  private usageFacts(): TokenUsage | undefined {
    const input = this.promptTokens ?? this.inputTokens;
    const output = this.completionTokens ?? this.outputTokens;
    if (input === undefined && output === undefined) {
      return this.totalTokens === undefined ? undefined : { input: this.totalTokens, cached: this.cachedTokens ?? 0, output: 0, reasoning: this.reasoningTokens ?? 0 };
    }
    return { input: input ?? 0, cached: this.cachedTokens ?? 0, output: output ?? 0, reasoning: this.reasoningTokens ?? 0 };
  }
}

/** The text, unless it is only whitespace (which says nothing). */
function filled(text: string | undefined): string | undefined {
  return text !== undefined && NOT_BLANK.test(text) ? text : undefined;
}

// eslint-disable-next-line no-control-regex -- control characters are blank, as in previews read from bytes
const NOT_BLANK = /[^\s\0-\x1f]/;

function countLabel(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function clip(text: string, max = PREVIEW_CHARS): string {
  return text.length <= max ? text : `${cutAtCharacter(text, max - 1)}…`;
}

/** One line, whitespace collapsed, at most `max` characters (an ellipsis marks a cut). */
export function singleLine(text: string, max = PREVIEW_CHARS): string {
  // Only what can be shown is collapsed: a 10 MB answer costs no more than a short one.
  const more = text.length > max * 4;
  const collapsed = (more ? text.slice(0, max * 4) : text).replace(COLLAPSIBLE, ' ').trim();
  if (collapsed.length > max) return `${cutAtCharacter(collapsed, max - 1)}…`;
  if (more && !collapsed.endsWith('…')) return `${collapsed.length === max ? cutAtCharacter(collapsed, max - 1) : collapsed}…`;
  return collapsed;
}

/**
 * Runs of whitespace and control characters, except a lone space: matching only these keeps ordinary
 * prose free of replacements (the same characters previews read from bytes collapse).
 */
// eslint-disable-next-line no-control-regex -- control characters are collapsed too, as in previews read from bytes
const COLLAPSIBLE = /[\t-\r\0-\x1f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff][\s\0-\x1f]*| [\s\0-\x1f]+/g;

/** Cuts before a lone surrogate half, so a cut never splits an emoji into invalid text. */
function cutAtCharacter(text: string, at: number): string {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, at - 1) : text.slice(0, at);
}
