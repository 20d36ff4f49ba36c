/**
 * Thrown by a UI check that cannot run in this environment: the runner reports it as skipped, with the
 * reason, and never counts it as passing.
 */
export class SkipCheck extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipCheck';
  }
}
