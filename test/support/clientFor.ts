import { OpenAIClient } from '../../src/core/openaiClient';
import type { Logger } from '../../src/core/logger';
import type { FakeOpenAI } from '../fake-openai/server';

/** A logger that keeps what it is told, so tests can read (and search) it. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(m: string) {
    this.lines.push(`debug ${m}`);
  }
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string | Error) {
    this.lines.push(`error ${m instanceof Error ? m.message : m}`);
  }
}

export function clientFor(fake: FakeOpenAI, options: { apiKey?: string; timeoutMs?: number; idleTimeoutMs?: number; log?: Logger; organization?: string; project?: string } = {}): OpenAIClient {
  return new OpenAIClient({
    idleTimeoutMs: options.idleTimeoutMs,
    connection: { baseUrl: fake.baseUrl, apiKey: options.apiKey ?? fake.apiKey, keySource: 'stored', organization: options.organization, project: options.project },
    timeoutMs: options.timeoutMs ?? 5_000,
    log: options.log ?? new RecordingLogger(),
  });
}
