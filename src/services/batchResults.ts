import { describeError } from '../core/apiError';
import { fileIdOf, FILE_KIND, FILE_KINDS, type Batch, type FileKind } from '../core/batch';
import type { BatchStore } from '../core/batchStore';
import { formatBytes } from '../core/format';
import type { Logger } from '../core/logger';
import type { CachedFile } from '../core/results/fileCache';
import type { FileSource, ResultsIndex } from '../core/results/resultsIndex';
import type { ChainMember } from '../core/retry/combinedResults';
import { chainFrom, Lineage, retryOf } from '../core/retry/lineage';
import type { ApiSession } from './apiSession';
import type { ResultsEngine } from './resultsEngine';

/** What reading a batch's results takes: the connection, the loaded batches, the engine and its cache. */
export interface ResultsLoadDeps {
  readonly session: ApiSession;
  readonly store: BatchStore;
  readonly engine: () => Promise<ResultsEngine>;
  readonly log: Logger;
}

export type ReportProgress = (message: string, fraction?: number) => void;

/**
 * A batch's three files through the cache, side by side; one that fails is reported as such (the others
 * still join). The caller releases the leases, which keep the files from eviction while they are read.
 */
export async function fetchResultFiles(
  deps: ResultsLoadDeps,
  engine: ResultsEngine,
  batch: Batch,
  signal: AbortSignal,
  report: ReportProgress,
  connection = deps.session.connection.name,
): Promise<{ sources: Partial<Record<FileKind, FileSource>>; leases: CachedFile[] }> {
  const client = await deps.session.clientFor(connection);
  const progress = new Map<FileKind, { received: number; total?: number }>();
  const tell = () => {
    let received = 0;
    let total = 0;
    for (const p of progress.values()) {
      received += p.received;
      total += p.total ?? p.received;
    }
    report(`Downloading the batch's files: ${formatBytes(received)} of ${formatBytes(total)}`, total > 0 ? received / total : undefined);
  };
  const sources: Partial<Record<FileKind, FileSource>> = {};
  const leases: CachedFile[] = [];
  try {
    await Promise.all(
      FILE_KINDS.map(async (kind) => {
        const fileId = fileIdOf(batch, kind);
        if (!fileId) return;
        try {
          // One cache namespace per connection and endpoint: the same file id elsewhere is another file.
          const file = await engine.cache.ensure(`${connection}\n${client.baseUrl}`, fileId, client, {
            signal,
            onProgress: (received, total) => {
              progress.set(kind, { received, total });
              tell();
            },
          });
          leases.push(file);
          sources[kind] = { path: file.path, fileId };
        } catch (e) {
          if (signal.aborted) throw e;
          const message = describeError(e);
          deps.log.warn(`Results ${batch.id}: the ${FILE_KIND[kind].label.toLowerCase()} ${fileId} could not be loaded: ${message}`);
          sources[kind] = { failed: message, fileId };
        }
      }),
    );
    signal.throwIfAborted();
  } catch (e) {
    for (const lease of leases) lease.release();
    throw e;
  }
  return { sources, leases };
}

export interface LoadedResults {
  readonly batch: Batch;
  readonly index: ResultsIndex;
  /** Lets the cache evict the files again. */
  release(): void;
}

/** A batch's files, downloaded where they are not cached, and indexed. */
export async function loadResults(deps: ResultsLoadDeps, batch: Batch, options: { signal: AbortSignal; report: ReportProgress }): Promise<LoadedResults> {
  const engine = await deps.engine();
  const { sources, leases } = await fetchResultFiles(deps, engine, batch, options.signal, options.report);
  const release = () => leases.splice(0).forEach((lease) => lease.release());
  try {
    options.report('Indexing…', 0);
    const index = await engine.module.buildResultsIndex({ batch, ...sources }, { signal: options.signal, onProgress: (fraction, message) => options.report(message, fraction) });
    return { batch, index, release };
  } catch (e) {
    release();
    throw e;
  }
}

/** The batch as `connection` has it now (and so in the tree, when loaded from it); the loaded copy if it cannot be fetched. */
export async function freshBatch(deps: ResultsLoadDeps, batch: Batch | string, signal?: AbortSignal, connection = deps.session.connection.name): Promise<Batch> {
  const id = typeof batch === 'string' ? batch : batch.id;
  try {
    const fresh = await (await deps.session.clientFor(connection)).retrieveBatch(id, signal);
    if (connection === deps.session.connection.name && deps.store.get(fresh.id)) deps.store.upsert(fresh);
    return fresh;
  } catch (e) {
    const known = typeof batch === 'string' ? deps.store.get(batch) : batch;
    if (!known || signal?.aborted) throw e;
    deps.log.warn(`Could not refresh ${id}, using the loaded copy: ${describeError(e)}`);
    return known;
  }
}

/**
 * The batches that Combined joins for `batch`: the first batch of its line (found by following retry_of,
 * fetched when it is not loaded) and the loaded retries under it, of its retries and so on, in the order
 * they were created. Retries are newer than what they retry, so whoever has a batch loaded has its
 * retries loaded too, unless they were made since the last refresh.
 */
export async function chainOf(deps: ResultsLoadDeps, batch: Batch, signal?: AbortSignal): Promise<Batch[]> {
  const known = new Map(deps.store.batches.map((b) => [b.id, b]));
  known.set(batch.id, batch);
  const seen = new Set([batch.id]);
  let root = batch;
  for (let parent = retryOf(root); parent !== undefined && !seen.has(parent); parent = retryOf(root)) {
    seen.add(parent);
    let found = known.get(parent);
    if (!found) {
      try {
        found = await deps.session.requireClient().retrieveBatch(parent, signal);
      } catch (e) {
        if (signal?.aborted) throw e;
        deps.log.warn(`${root.id} retries ${parent}, which could not be fetched (${describeError(e)}): its line starts at ${root.id}.`);
        break;
      }
      known.set(found.id, found);
    }
    root = found;
  }
  const chain = chainFrom(new Lineage([...known.values()]), root);
  // Metadata that runs in a circle makes no line: the batch stands alone.
  return chain.some((b) => b.id === batch.id) ? chain : [batch];
}

/**
 * The results of every batch of `batch`'s line (see `chainOf`), read one after the other through the cache,
 * in the order Combined joins them; `known` (a batch already read) is taken as it is. Undefined when the
 * batch stands alone.
 */
export async function loadChain(
  deps: ResultsLoadDeps,
  batch: Batch,
  options: { signal: AbortSignal; report: ReportProgress; known?: ChainMember },
): Promise<{ members: ChainMember[]; release(): void } | undefined> {
  const chain = await chainOf(deps, batch, options.signal);
  if (chain.length < 2) return undefined;
  const loaded: LoadedResults[] = [];
  const release = () => loaded.splice(0).forEach((r) => r.release());
  try {
    const members: ChainMember[] = [];
    for (const [i, member] of chain.entries()) {
      if (member.id === options.known?.batch.id) {
        members.push(options.known);
        continue;
      }
      const results = await loadResults(deps, member, { signal: options.signal, report: (m, f) => options.report(`${i + 1} of ${chain.length}, ${member.id}: ${m}`, f) });
      loaded.push(results);
      members.push(results);
    }
    return { members, release };
  } catch (e) {
    release();
    throw e;
  }
}
