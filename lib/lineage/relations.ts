/**
 * Edge relations, read from source to destination. Writers use these names so the lineage graph
 * and the dashboard agree on what each edge means.
 */
export const RELATIONS = {
  /** run → run: the destination is a nested (child) run of the source (`mlflow.parentRunId`). */
  parentOf: "parent_of",
  /** run → dataset: the run logged the dataset as an input (runs/log-inputs). */
  usedDataset: "used_dataset",
  /** run → logged_model: the run logged the model (its source run, or runs/outputs). */
  loggedModel: "logged_model",
  /** run → logged_model: the run used the model as an input (runs/log-inputs `models`). */
  usedModel: "used_model",
  /** model_version → logged_model: the version was registered from the logged model (`models:/m-…`). */
  registeredFrom: "registered_from",
  /** model_version | prompt_version → run: the version was registered from that run's output. */
  sourceRun: "source_run",
  /** prompt_version → run: the run used the prompt (`mlflow.linkedPrompts`, `mlflow.prompt.associatedRunIds`). */
  usedBy: "used_by",
  /** run → experiment: derived from the run itself, never stored. */
  inExperiment: "in_experiment",
  /** function → variant: from the gateway's config, never stored. */
  hasVariant: "has_variant",
  /** variant → prompt_version: the versions the variant's inferences used (ClickHouse), never stored. */
  usesPrompt: "uses_prompt",
  /** inference → variant: the variant that answered (ClickHouse), never stored. */
  servedBy: "served_by",
} as const;
