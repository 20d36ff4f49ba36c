import type { TokenTotals } from './protocol';
import { ROW_FLAG, type ResultsIndex } from './resultsIndex';

/** The summary's token totals split by each response's model ('' for none): the rows the summary counts. */
export function tokensByModel(index: ResultsIndex): Map<string, TokenTotals> {
  const { columns: c, tables } = index;
  const counted = index.paths.input !== undefined ? index.inputRows : index.rowCount;
  const byModel = new Map<number, { input: number; cached: number; output: number; reasoning: number; responses: number }>();
  for (let row = 0; row < counted; row++) {
    if (!(c.flags[row] & ROW_FLAG.usage)) continue;
    let t = byModel.get(c.model[row]);
    if (!t) byModel.set(c.model[row], (t = { input: 0, cached: 0, output: 0, reasoning: 0, responses: 0 }));
    t.input += c.tokensInput[row];
    t.cached += c.tokensCached[row];
    t.output += c.tokensOutput[row];
    t.reasoning += c.tokensReasoning[row];
    t.responses++;
  }
  return new Map([...byModel].map(([id, t]) => [tables.model[id], t]));
}
