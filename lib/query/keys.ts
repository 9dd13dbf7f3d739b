/** Every query key the dashboard uses, so that prefetch, hooks and invalidation agree. */
export const queryKeys = {
  health: () => ["health"] as const,
  labellingQueues: () => ["labelling", "queues"] as const,
  labellingQueue: (id: string) => ["labelling", "queues", id] as const,
  labellingDatasets: () => ["labelling", "datasets"] as const,
  labellingDataset: (name: string) => ["labelling", "datasets", name] as const,
};
