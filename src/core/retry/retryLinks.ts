// Files written by Review First, remembered with the batch they retry: creating a batch from such a file
// later (from the Explorer, the CodeLens, the "+") links it to that batch. A link holds while the file is
// what was written or what was last saved from the editor; a file changed by anything else is no longer
// known to be that retry, and is created as an ordinary batch.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Where the links are kept: VS Code's workspace state has this shape. */
export interface LinkStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

interface Link {
  readonly parentId: string;
  /** SHA-256 of the file's content when it was written or last saved in the editor. */
  readonly sha256: string;
  readonly at: number;
}

export const LINKS_KEY = 'openaiBatches.retryLinks';

/** The batch a file was linked to, read from storage without checking the file (for a label; `parentOf` decides). */
export function linkedParent(storage: LinkStorage, path: string): string | undefined {
  const stored = storage.get<Record<string, Link>>(LINKS_KEY);
  return stored && typeof stored === 'object' ? stored[path]?.parentId : undefined;
}

/**
 * The links as the code loaded at activation holds them: looked up cheaply in their storage, and kept
 * (files hashed, links written) by the `RetryLinks` that `load` gives, loaded when first needed.
 */
export interface RetryLinkStore {
  readonly storage: LinkStorage;
  load(): RetryLinks;
}
/** The most recent links kept: old review files are forgotten rather than piling up. */
export const MAX_LINKS = 200;

export class RetryLinks {
  /** Updates of a file's link in flight (a save being hashed): a lookup waits for them. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: LinkStorage,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers that the file at `path`, as it is now, retries `parentId`. */
  remember(path: string, parentId: string): Promise<void> {
    return this.track(path, async () => {
      const sha256 = await hashFile(path);
      await this.write((links) => {
        links[path] = { parentId, sha256, at: this.now() };
      });
    });
  }

  /** The batch the file retries, when it is still the content that was linked; else forgets it. */
  async parentOf(path: string): Promise<string | undefined> {
    await this.pending.get(path);
    const link = this.read()[path];
    if (!link) return undefined;
    const sha256 = await hashFile(path).catch(() => undefined);
    if (sha256 === link.sha256) return link.parentId;
    await this.forget(path);
    return undefined;
  }

  /** The batch a file was linked to, without checking its content (for a label; `parentOf` decides). */
  linkedParent(path: string): string | undefined {
    return linkedParent(this.storage, path);
  }

  /** A linked file saved from the editor: the reviewed content is still the retry. */
  saved(path: string): Promise<void> {
    if (!this.read()[path]) return Promise.resolve();
    return this.track(path, async () => {
      const sha256 = await hashFile(path);
      await this.write((links) => {
        const link = links[path];
        if (link) links[path] = { ...link, sha256, at: this.now() };
      });
    });
  }

  /** A linked file renamed or moved from within the editor keeps its link. */
  async moved(from: string, to: string): Promise<void> {
    await this.pending.get(from);
    if (!this.read()[from]) return;
    await this.write((links) => {
      links[to] = links[from];
      delete links[from];
    });
  }

  forget(path: string): Promise<void> {
    if (!this.read()[path]) return Promise.resolve();
    return this.write((links) => void delete links[path]);
  }

  /** Called after every change of a link (to refresh what shows them). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private read(): Record<string, Link> {
    const stored = this.storage.get<Record<string, Link>>(LINKS_KEY);
    return stored && typeof stored === 'object' ? stored : {};
  }

  private async write(change: (links: Record<string, Link>) => void): Promise<void> {
    const links = { ...this.read() };
    change(links);
    const kept = Object.entries(links)
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, MAX_LINKS);
    await this.storage.update(LINKS_KEY, Object.fromEntries(kept));
    for (const listener of this.listeners) listener();
  }

  private track(path: string, work: () => Promise<void>): Promise<void> {
    const before = this.pending.get(path) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    this.pending.set(path, settled);
    void settled.then(() => {
      if (this.pending.get(path) === settled) this.pending.delete(path);
    });
    return run;
  }
}

export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
