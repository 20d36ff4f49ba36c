// The Results engine as one bundle of its own (dist/results.js), loaded when Results are first opened or
// their cache cleared: its index, query and export code stays out of the bundle loaded at activation.
export { ResultsFileCache } from '../core/results/fileCache';
export { buildResultsIndex } from '../core/results/resultsIndex';
export { ResultsView } from '../core/results/resultsQuery';
export { exportResults } from '../core/results/resultsExport';
export { tokensByModel } from '../core/results/tokensByModel';
