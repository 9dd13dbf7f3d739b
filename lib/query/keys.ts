/** Every query key the dashboard uses, so that prefetch, hooks and invalidation agree. */
export const queryKeys = {
  health: () => ["health"] as const,
};
