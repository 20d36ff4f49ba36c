import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { originOf, withOrigin, type InputOrigin } from '../core/inputOrigins';

const KEY = 'inputOrigins';

/** The input file id → local file table of this workspace (core/inputOrigins.ts), in its workspace state. */
export class InputOriginStore {
  constructor(private readonly state: vscode.Memento) {}

  get(fileId: string | undefined): InputOrigin | undefined {
    return originOf(this.state.get(KEY), fileId);
  }

  /** Remembers that `fileId` was uploaded from `file` as it is now (size and time, to tell later edits). */
  async remember(fileId: string, file: vscode.Uri): Promise<void> {
    const stat = await fs.stat(file.fsPath);
    await this.state.update(KEY, withOrigin(this.state.get(KEY), fileId, { uri: file.toString(), bytes: stat.size, mtimeMs: stat.mtimeMs, at: Date.now() }));
  }
}
