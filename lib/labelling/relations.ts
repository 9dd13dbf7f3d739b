/** Lineage relations written by labelling (read source → destination), beside lib/lineage/relations.ts. */
export const LABELLING_RELATIONS = {
  /** function → queue: the queue holds inferences of that function. */
  reviewedIn: "reviewed_in",
  /** queue → dataset: a dataset version was saved from the queue's labels. */
  labelledInto: "labelled_into",
} as const;
