// The Results engine as one bundle of its own (dist/results.js), loaded when Results are first opened, a
// batch is first retried or its cache cleared: its index, query, export, retry selection and combined join
// stay out of the bundle loaded at activation.
export { ResultsFileCache } from '../core/results/fileCache';
export { buildResultsIndex } from '../core/results/resultsIndex';
export { ResultsView } from '../core/results/resultsQuery';
export { exportResults } from '../core/results/resultsExport';
export { combineResults } from '../core/retry/combinedResults';
export { retryCounts, selectRetryRows, unknownRetryNames, writeRetryFile } from '../core/retry/retrySelection';
export { tokensByModel } from '../core/results/tokensByModel';
