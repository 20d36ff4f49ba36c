import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import { ENTRA_SCOPE } from '../core/providers';

/** VS Code's Microsoft sign-in (the built-in Microsoft Authentication extension). */
export const MICROSOFT_AUTH_PROVIDER = 'microsoft';

/**
 * An Entra ID access token for Azure OpenAI from the Microsoft account signed in to VS Code. The session
 * is asked for on every call (VS Code keeps and refreshes it; nothing is kept here). `interactive` (Add
 * Connection's "Sign in with Microsoft") may ask the user to sign in; otherwise, without a session, the
 * Accounts menu offers the sign-in and the request fails saying so.
 */
export async function entraToken(interactive: boolean): Promise<string> {
  let session: vscode.AuthenticationSession | undefined;
  try {
    session = await vscode.authentication.getSession(MICROSOFT_AUTH_PROVIDER, [ENTRA_SCOPE], interactive ? { createIfNone: true } : { createIfNone: false });
  } catch (e) {
    throw new ApiError({ kind: 'config', message: `Signing in with Microsoft did not complete: ${e instanceof Error ? e.message : String(e)}` });
  }
  if (!session) throw new ApiError({ kind: 'config', message: 'Not signed in with Microsoft: sign in from the Accounts menu (OpenAI Batches asks there), then refresh.' });
  return session.accessToken;
}
