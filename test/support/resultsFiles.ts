import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBatch, type Batch } from '../../src/core/batch';
import type { FileSource, ResultsSources } from '../../src/core/results/resultsIndex';
import type { Dataset } from '../fake-openai/dataset';
import { fileContent } from '../fake-openai/resultsDatasets';

/**
 * Writes a results batch's files from a dataset into `dir` (as the cache would hold them) and returns the
 * index sources; a file the batch names but the dataset lacks is a failed source, like a 404.
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
    fs.writeFileSync(target, fileContent(file));
    return { path: target, fileId };
  };
  return { batch, input: source(batch.inputFileId), output: source(batch.outputFileId), error: source(batch.errorFileId) };
}
