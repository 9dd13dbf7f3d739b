/** Lineage relations written by labelling (read source → destination), beside lib/lineage/relations.ts. */
export const LABELLING_RELATIONS = {
  /** function → queue: the queue holds inferences of that function. */
  reviewedIn: "reviewed_in",
  /** queue | label → dataset: a dataset version was saved from the queue's labels (that label among them). */
  labelledInto: "labelled_into",
  /** label → inference: the label judges that inference (derived from Postgres rows, never stored). */
  labels: "labels",
  /** label → queue: the label was given in that queue (derived). */
  inQueue: "in_queue",
} as const;
