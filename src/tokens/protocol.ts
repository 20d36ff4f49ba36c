import type { InputTokens } from '../core/tokenEstimate';

/** What the extension asks the token worker (dist/tokens.js): count a file on disk or a text. */
export type TokenRequest =
  | { readonly type: 'count'; readonly id: number; readonly model: string; readonly path: string }
  | { readonly type: 'count'; readonly id: number; readonly model: string; readonly text: string }
  | { readonly type: 'cancel'; readonly id: number };

export type TokenReply =
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number }
  | { readonly type: 'done'; readonly id: number; readonly tokens: InputTokens }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
