/** Every query key the dashboard uses, so that prefetch, hooks and invalidation agree. */
export const queryKeys = {
  health: () => ["health"] as const,
  // Analytics keys end with the API URL they fetch: equal URL state, equal key.
  functions: (url: string) => ["analytics", "functions", url] as const,
  functionReport: (url: string) => ["analytics", "function", url] as const,
  ab: (url: string) => ["analytics", "ab", url] as const,
  inferences: (url: string) => ["analytics", "inferences", url] as const,
  inferenceFacets: (url: string) => ["analytics", "inference-facets", url] as const,
  inference: (id: string) => ["analytics", "inference", id] as const,
  experiments: (state: object) => ["experiments", state] as const,
  runs: (state: object) => ["runs", state] as const,
  runColumns: (experimentIds: readonly string[]) => ["runs", "columns", [...experimentIds].sort()] as const,
  run: (runId: string) => ["run", runId] as const,
  runHistory: (input: object) => ["run", "history", input] as const,
  compare: (runIds: readonly string[]) => ["compare", runIds] as const,
  registry: (state: object) => ["registry", state] as const,
  registeredModel: (name: string) => ["registry", "model", name] as const,
  lineage: (node: string, depth: number) => ["lineage", node, depth] as const,
  labellingQueues: () => ["labelling", "queues"] as const,
  labellingQueue: (id: string) => ["labelling", "queues", id] as const,
  labellingDatasets: () => ["labelling", "datasets"] as const,
  labellingDataset: (name: string) => ["labelling", "datasets", name] as const,
};
