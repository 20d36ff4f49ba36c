import { OpenAIClient } from '../../src/core/openaiClient';
import type { Logger } from '../../src/core/logger';
import type { FakeOpenAI } from '../fake-openai/server';
import { apiBaseUrl, type ProviderKind } from '../../src/core/providers';

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

/** The provider a fake of this mode plays. */
export function providerOf(fake: FakeOpenAI): ProviderKind {
  return fake.mode === 'azure' ? 'azure' : fake.mode === 'compatible' ? 'openai-compatible' : 'openai';
}

export interface ClientForOptions {
  apiKey?: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  log?: Logger;
  organization?: string;
  project?: string;
  /** Another provider than the fake's mode (to prove what a wrong one sends). */
  provider?: ProviderKind;
  /** Azure's older paths: the connection names the resource's endpoint and an api-version. */
  apiVersion?: string;
  /** Another base URL than the fake's own (the connection's URL before `apiBaseUrl` completes it). */
  url?: string;
  /** Sign in with Entra ID: each request asks this for its token (`renew` after a 401); no key is sent. */
  entraToken?: (renew: boolean) => Promise<string>;
}

/** A client connected to `fake` as a connection of its provider would be (the URL completed as for a user's). */
export function clientFor(fake: FakeOpenAI, options: ClientForOptions = {}): OpenAIClient {
  const provider = options.provider ?? providerOf(fake);
  const url = options.url ?? (options.apiVersion ? fake.origin : fake.baseUrl);
  return new OpenAIClient({
    idleTimeoutMs: options.idleTimeoutMs,
    connection: {
      provider,
      baseUrl: apiBaseUrl(provider, url, options.apiVersion),
      apiKey: options.entraToken ? '' : (options.apiKey ?? fake.apiKey),
      keySource: options.entraToken ? 'entra' : 'stored',
      auth: options.entraToken ? 'entra' : 'key',
      organization: options.organization,
      project: options.project,
      apiVersion: options.apiVersion,
    },
    entraToken: options.entraToken,
    timeoutMs: options.timeoutMs ?? 5_000,
    log: options.log ?? new RecordingLogger(),
  });
}
