import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';

/** Endpoints the Batch API accepts in an input file's `url`. */
const BATCH_ENDPOINTS = [
  '/v1/responses',
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/completions',
  '/v1/moderations',
  '/v1/images/generations',
  '/v1/images/edits',
  '/v1/videos',
] as const;

const MAX_REQUESTS = 50_000;
const MAX_INPUT_BYTES = 200 * 1024 * 1024;
/** Enough to fix a file; the count says how many more there are. */
const MAX_REPORTED = 200;

export interface InputProblem {
  /** 1-based; 0 for problems with the file as a whole. */
  readonly line: number;
  readonly message: string;
}

export interface InputCheck {
  readonly requests: number;
  readonly endpoint?: string;
  readonly model?: string;
  readonly problems: readonly InputProblem[];
  /** All problems found, including those beyond the reported ones. */
  readonly problemCount: number;
}

/**
 * Checks a batch input file the way the API will, before anything is uploaded: every line a JSON
 * request with a unique `custom_id`, `method` POST, one supported `url` and one `body.model` for the
 * whole file, within the request and size limits. Reads line by line: memory stays flat.
 */
export async function checkBatchInputFile(filePath: string): Promise<InputCheck> {
  const { size } = await fs.stat(filePath);
  const lines = createInterface({ input: createReadStream(filePath, 'utf8'), crlfDelay: Infinity });
  return checkBatchInputLines(lines, size);
}

export async function checkBatchInputLines(lines: AsyncIterable<string> | Iterable<string>, totalBytes?: number): Promise<InputCheck> {
  const problems: InputProblem[] = [];
  let problemCount = 0;
  const report = (line: number, message: string) => {
    problemCount++;
    if (problems.length < MAX_REPORTED) problems.push({ line, message });
  };
  if (totalBytes !== undefined && totalBytes > MAX_INPUT_BYTES) {
    report(0, `The file is ${(totalBytes / 1024 / 1024).toFixed(0)} MB; the Batch API accepts at most 200 MB.`);
  }
  const ids = new Map<string, number>();
  let endpoint: { url: string; line: number } | undefined;
  let model: { name: string; line: number } | undefined;
  let requests = 0;
  let blankRun: number[] = [];
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') {
      blankRun.push(n);
      continue;
    }
    // Blank lines are an error only between requests, not at the end of the file.
    for (const b of blankRun) report(b, 'Empty line: every line must be one JSON request.');
    blankRun = [];
    requests++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      report(n, `Not valid JSON: ${(e as Error).message}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      report(n, 'Each line must be a JSON object with custom_id, method, url and body.');
      continue;
    }
    const r = value as Record<string, unknown>;
    if (typeof r.custom_id !== 'string' || r.custom_id === '') report(n, '"custom_id" must be a non-empty string.');
    else if (ids.has(r.custom_id)) report(n, `"custom_id" "${r.custom_id}" is already used on line ${ids.get(r.custom_id)}; each must be unique.`);
    else ids.set(r.custom_id, n);
    if (r.method !== 'POST') report(n, `"method" must be "POST"${r.method === undefined ? '' : `, not ${JSON.stringify(r.method)}`}.`);
    if (typeof r.url !== 'string') report(n, '"url" must be the endpoint, e.g. "/v1/chat/completions".');
    else if (!(BATCH_ENDPOINTS as readonly string[]).includes(r.url)) report(n, `"url" ${JSON.stringify(r.url)} is not an endpoint the Batch API supports (${BATCH_ENDPOINTS.join(', ')}).`);
    else if (!endpoint) endpoint = { url: r.url, line: n };
    else if (r.url !== endpoint.url) report(n, `"url" is ${r.url} but line ${endpoint.line} uses ${endpoint.url}; one file holds requests for one endpoint.`);
    const body = r.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) report(n, '"body" must be a JSON object (the request to send).');
    else {
      const m = (body as Record<string, unknown>).model;
      if (typeof m !== 'string' || m === '') report(n, '"body.model" must name the model.');
      else if (!model) model = { name: m, line: n };
      else if (m !== model.name) report(n, `"body.model" is ${m} but line ${model.line} uses ${model.name}; one file holds requests for one model.`);
    }
  }
  if (requests === 0) report(0, 'The file has no requests.');
  if (requests > MAX_REQUESTS) report(0, `The file has ${requests.toLocaleString('en-US')} requests; the Batch API accepts at most ${MAX_REQUESTS.toLocaleString('en-US')}.`);
  return { requests, endpoint: endpoint?.url, model: model?.name, problems, problemCount };
}
