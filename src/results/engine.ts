// The Results engine and panels as one bundle of its own (dist/results.js), loaded when Results are first
// opened or restored, a batch is first retried or its cache cleared: its index, query, export, retry selection,
// combined join, the panels that show them and their Export flow stay out of the bundle loaded at activation.
export { ResultsFileCache } from '../core/results/fileCache';
export { buildResultsIndex } from '../core/results/resultsIndex';
export { ResultsView } from '../core/results/resultsQuery';
export { exportResults } from '../core/results/resultsExport';
export { combineResults } from '../core/retry/combinedResults';
export { retryCounts, selectRetryRows, unknownRetryNames, writeRetryFile } from '../core/retry/retrySelection';
export { tokensByModel } from '../core/results/tokensByModel';
export { ResultsPanels } from '../views/resultsPanel';
export { exportPanel } from '../commands/exportResults';
