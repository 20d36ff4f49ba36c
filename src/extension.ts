import * as vscode from 'vscode';
import { LOG_CHANNEL_NAME } from './constants';

export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  context.subscriptions.push(log);
  return {};
}

export function deactivate() {}
