/**
 * An estimate of a batch's input tokens, before it is sent. Text (messages, prompts, embedding inputs)
 * is counted with a real tokenizer; what the API tokenizes in ways it does not publish is estimated and
 * kept apart so it can be labelled: images at a fixed size, tool and schema definitions as their JSON.
 */

/** Counts the tokens of a text (gpt-tokenizer's `countTokens` for the model's encoding). */
export type CountTokens = (text: string) => number;

export type Encoding = 'o200k_base' | 'cl100k_base';

/**
 * A 1024×1024 image at high (or auto) detail on GPT-4o-class models: 85 + 4 tiles × 170 tokens; at low
 * detail a flat 85. The real count depends on the image's size, which is not in the request.
 */
export const IMAGE_TOKENS = { high: 765, low: 85 } as const;
/** OpenAI's published accounting for chat formatting: 3 tokens per message and 3 to prime the reply. */
const PER_MESSAGE = 3;
const PER_REPLY = 3;

export interface InputTokens {
  readonly requests: number;
  /** Counted with the tokenizer (plus message formatting); extrapolated from a sample when `sampled`. */
  readonly text: number;
  readonly images: number;
  /** Estimated: `images` at {@link IMAGE_TOKENS}. */
  readonly imageTokens: number;
  /** Estimated: tool, function and response-format definitions, counted as their JSON. */
  readonly toolTokens: number;
  /** Parts neither counted nor estimated (audio, files): the real total is higher by theirs. */
  readonly uncounted: number;
  /** Requests whose text was tokenized when not all were (large files): the rest is extrapolated by length. */
  readonly sampled?: { readonly counted: number };
  readonly encoding: Encoding;
}

/** Total estimated input tokens: counted text plus the estimated images and tools. */
export function totalInputTokens(t: InputTokens): number {
  return t.text + t.imageTokens + t.toolTokens;
}

/**
 * The tokenizer a model uses: `cl100k_base` for GPT-4 (not 4o/4.1/4.5), GPT-3.5 and the embedding
 * models, `o200k_base` for everything current. A fine-tune (`ft:<base>:…`) uses its base model's.
 */
export function encodingFor(model: string): Encoding {
  const base = model.startsWith('ft:') ? model.slice(3).split(':')[0] : model;
  return /^(gpt-4(?![o.])|gpt-3\.5|text-embedding-|davinci-002|babbage-002)/.test(base) ? 'cl100k_base' : 'o200k_base';
}

/** What one request sends, sorted by how it can be counted. */
interface RequestParts {
  texts: string[];
  /** Already tokens (token-array inputs): counted as they are. */
  tokens: number;
  messages: number;
  highImages: number;
  lowImages: number;
  tools: string[];
  uncounted: number;
}

/**
 * Adds requests up. Each call to `sampleLess()` (a time budget ran out) tokenizes only one request in
 * `stride` from then on (10, 100, …); the others' text is estimated from its length at the ratio
 * measured on what was tokenized.
 */
export class InputTokenTally {
  private requests = 0;
  private text = 0;
  private countedChars = 0;
  private countedTextTokens = 0;
  private uncountedChars = 0;
  private countedRequests = 0;
  private images = 0;
  private imageTokens = 0;
  private toolTokens = 0;
  private uncounted = 0;
  private stride = 1;

  constructor(
    private readonly count: CountTokens,
    readonly encoding: Encoding,
  ) {}

  sampleLess(): void {
    this.stride *= 10;
  }

  /** One line of a batch input file; what does not parse is skipped (the checks report it). */
  addLine(line: string): void {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    if (isObject(value)) this.add(typeof value.url === 'string' ? value.url : '', value.body);
  }

  add(endpoint: string, body: unknown): void {
    const parts = requestParts(endpoint, body);
    const index = this.requests++;
    const tokenize = index % this.stride === 0;
    if (tokenize) this.countedRequests++;
    for (const text of parts.texts) {
      if (tokenize) {
        const n = this.count(text);
        this.countedTextTokens += n;
        this.countedChars += text.length;
        this.text += n;
      } else {
        this.uncountedChars += text.length;
      }
    }
    this.text += parts.tokens + parts.messages * PER_MESSAGE + (parts.messages > 0 ? PER_REPLY : 0);
    for (const tool of parts.tools) this.toolTokens += tokenize ? this.count(tool) : Math.round(tool.length / 4);
    this.images += parts.highImages + parts.lowImages;
    this.imageTokens += parts.highImages * IMAGE_TOKENS.high + parts.lowImages * IMAGE_TOKENS.low;
    this.uncounted += parts.uncounted;
  }

  result(): InputTokens {
    const ratio = this.countedChars > 0 ? this.countedTextTokens / this.countedChars : 0.25;
    const extrapolated = Math.round(this.uncountedChars * ratio);
    return {
      requests: this.requests,
      text: this.text + extrapolated,
      images: this.images,
      imageTokens: this.imageTokens,
      toolTokens: this.toolTokens,
      uncounted: this.uncounted,
      ...(this.countedRequests < this.requests ? { sampled: { counted: this.countedRequests } } : {}),
      encoding: this.encoding,
    };
  }
}

function requestParts(endpoint: string, body: unknown): RequestParts {
  const parts: RequestParts = { texts: [], tokens: 0, messages: 0, highImages: 0, lowImages: 0, tools: [], uncounted: 0 };
  if (!isObject(body)) return parts;
  // Azure's files may name the endpoint without its /v1.
  switch (endpoint.startsWith('/v1/') ? endpoint : `/v1${endpoint}`) {
    case '/v1/chat/completions':
      for (const message of arrayOf(body.messages)) chatMessage(message, parts);
      definitions(parts, body.tools, body.functions, body.response_format);
      break;
    case '/v1/responses':
      if (typeof body.instructions === 'string') {
        parts.texts.push(body.instructions);
        parts.messages++;
      }
      if (typeof body.input === 'string') {
        parts.texts.push(body.input);
        parts.messages++;
      } else {
        for (const item of arrayOf(body.input)) responsesItem(item, parts);
      }
      definitions(parts, body.tools, isObject(body.text) ? body.text.format : undefined);
      break;
    case '/v1/embeddings':
      textsOrTokens(body.input, parts);
      break;
    case '/v1/completions':
      textsOrTokens(body.prompt, parts);
      break;
    case '/v1/moderations':
      if (Array.isArray(body.input) && body.input.some(isObject)) {
        for (const item of body.input) contentPart(item, parts);
      } else {
        textsOrTokens(body.input, parts);
      }
      break;
    default:
      // Images and videos: the prompt is the text; referenced images and masks are priced otherwise.
      if (typeof body.prompt === 'string') parts.texts.push(body.prompt);
      if (body.image !== undefined || body.mask !== undefined || body.input_reference !== undefined) parts.uncounted++;
  }
  return parts;
}

function chatMessage(message: unknown, parts: RequestParts): void {
  if (!isObject(message)) return;
  parts.messages++;
  if (typeof message.role === 'string') parts.texts.push(message.role);
  if (typeof message.name === 'string') parts.texts.push(message.name);
  if (typeof message.content === 'string') parts.texts.push(message.content);
  else for (const part of arrayOf(message.content)) contentPart(part, parts);
  for (const call of arrayOf(message.tool_calls)) {
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    if (typeof fn?.name === 'string') parts.texts.push(fn.name);
    if (typeof fn?.arguments === 'string') parts.texts.push(fn.arguments);
  }
}

function responsesItem(item: unknown, parts: RequestParts): void {
  if (!isObject(item)) return;
  if (item.type === undefined || item.type === 'message') {
    parts.messages++;
    if (typeof item.content === 'string') parts.texts.push(item.content);
    else for (const part of arrayOf(item.content)) contentPart(part, parts);
  } else if (item.type === 'function_call') {
    if (typeof item.arguments === 'string') parts.texts.push(item.arguments);
  } else if (item.type === 'function_call_output') {
    if (typeof item.output === 'string') parts.texts.push(item.output);
  } else {
    parts.uncounted++;
  }
}

/** One part of a message's content, in the chat, responses and moderations shapes. */
function contentPart(part: unknown, parts: RequestParts): void {
  if (typeof part === 'string') {
    parts.texts.push(part);
    return;
  }
  if (!isObject(part)) return;
  if (typeof part.text === 'string') {
    parts.texts.push(part.text);
    return;
  }
  if (part.type === 'image_url' || part.type === 'input_image') {
    const detail = isObject(part.image_url) ? part.image_url.detail : part.detail;
    if (detail === 'low') parts.lowImages++;
    else parts.highImages++;
    return;
  }
  parts.uncounted++;
}

function textsOrTokens(input: unknown, parts: RequestParts): void {
  if (typeof input === 'string') parts.texts.push(input);
  else if (Array.isArray(input)) {
    if (input.length > 0 && input.every((x) => typeof x === 'number')) parts.tokens += input.length;
    else for (const x of input) textsOrTokens(x, parts);
  }
}

function definitions(parts: RequestParts, ...values: unknown[]): void {
  for (const value of values) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    parts.tools.push(JSON.stringify(value));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
