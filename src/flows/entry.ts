// The command flows loaded on first use (dist/flows.js): Create, Retry, Filter, Find, Show Usage and the Connection commands, with
// their prompts and files.
// Activation carries only their registration (commands/flowCommands.ts).
export * from '../retry/flows';
export { createFromMenu, createWithOptions } from '../commands/createCommand';
export { showUsage } from '../commands/usageCommand';
export { filterBatches, findInAllBatches } from '../find/flows';
export { openInDashboard } from '../commands/dashboardCommand';
export { addConnection, editConnection, removeConnection, removeConnectionWithOptions, renameConnection, switchConnection } from '../commands/connectionCommands';
