/** What the executor tells the outside world: drives the terminal view, --json NDJSON and tests. */
export type RunEvent =
  | { readonly type: 'run-start'; readonly impulse: string; readonly stages: readonly string[]; readonly jobs: number; readonly at: number }
  | { readonly type: 'stage-start'; readonly stage: string; readonly key: string; readonly at: number }
  | { readonly type: 'stage-cached'; readonly stage: string; readonly key: string; readonly outputHash: string; readonly at: number }
  | { readonly type: 'stage-progress'; readonly stage: string; readonly done: number; readonly total: number; readonly unit: string }
  | { readonly type: 'stage-log'; readonly stage: string; readonly message: string }
  | { readonly type: 'stage-done'; readonly stage: string; readonly key: string; readonly outputHash: string; readonly durationMs: number; readonly at: number }
  | { readonly type: 'stage-failed'; readonly stage: string; readonly error: string; readonly at: number }
  | { readonly type: 'cache-corrupt'; readonly stage: string; readonly key: string; readonly reason: string }
  | { readonly type: 'run-done'; readonly ran: readonly string[]; readonly cached: readonly string[]; readonly durationMs: number; readonly at: number };

export type EventSink = (event: RunEvent) => void;
