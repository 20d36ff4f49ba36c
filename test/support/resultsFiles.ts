import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBatch, type Batch } from '../../src/core/batch';
import type { FileSource, ResultsSources } from '../../src/core/results/resultsIndex';
import { contentChunks, type Dataset, type FakeFile } from '../fake-openai/dataset';

/**
 * Writes a batch's files from a dataset into `dir` (as the cache would hold them) and returns the index
 * sources; a file the batch names but the dataset lacks is a failed source, like a 404.
 */
export function sourcesFor(dataset: Dataset, batchId: string, dir: string): ResultsSources & { batch: Batch } {
  const raw = dataset.batches.find((b) => b.id === batchId);
  if (!raw) throw new Error(`no batch ${batchId}`);
  const batch = parseBatch(raw).batch!;
  const source = (fileId: string | undefined): FileSource | undefined => {
    if (!fileId) return undefined;
    const file = dataset.files.find((f) => f.meta.id === fileId);
    if (!file) return { failed: `No such File object: ${fileId}`, fileId };
    const target = path.join(dir, `${fileId}.jsonl`);
    writeContent(file, target);
    return { path: target, fileId };
  };
  return { batch, input: source(batch.inputFileId), output: source(batch.outputFileId), error: source(batch.errorFileId) };
}

/** A file's content written chunk by chunk, so a large generated file is never held whole. */
function writeContent(file: FakeFile, target: string): void {
  const fd = fs.openSync(target, 'w');
  try {
    for (const chunk of contentChunks(file.content)) fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}
