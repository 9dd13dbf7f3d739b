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
};
