/** Every query key the dashboard uses, so that prefetch, hooks and invalidation agree. */
export const queryKeys = {
  health: () => ["health"] as const,
  experiments: (state: object) => ["experiments", state] as const,
  runs: (state: object) => ["runs", state] as const,
  runColumns: (experimentIds: readonly string[]) => ["runs", "columns", [...experimentIds].sort()] as const,
  run: (runId: string) => ["run", runId] as const,
  runHistory: (input: object) => ["run", "history", input] as const,
  compare: (runIds: readonly string[]) => ["compare", runIds] as const,
  registry: (state: object) => ["registry", state] as const,
  registeredModel: (name: string) => ["registry", "model", name] as const,
  lineage: (node: string, depth: number) => ["lineage", node, depth] as const,
};
