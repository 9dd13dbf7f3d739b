/** Domain shapes of the tracking store (camelCase); lib/mlflow/entities.ts turns them into MLflow's wire format. */
export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Proto numbers of RunStatus (service.proto). */
export const RUN_STATUS_NUMBERS: Readonly<Record<number, RunStatus>> = {
  1: "RUNNING",
  2: "SCHEDULED",
  3: "FINISHED",
  4: "FAILED",
  5: "KILLED",
};

export const VIEW_TYPES = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;
export type ViewType = (typeof VIEW_TYPES)[number];
export const VIEW_TYPE_NUMBERS: Readonly<Record<number, ViewType>> = { 1: "ACTIVE_ONLY", 2: "DELETED_ONLY", 3: "ALL" };

export type LifecycleStage = "active" | "deleted";

export function stagesFor(view: ViewType): LifecycleStage[] {
  switch (view) {
    case "ACTIVE_ONLY":
      return ["active"];
    case "DELETED_ONLY":
      return ["deleted"];
    case "ALL":
      return ["active", "deleted"];
  }
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string | null;
  lifecycleStage: string;
  creationTime: number;
  lastUpdateTime: number;
  tags: KeyValue[];
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: string;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: string;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface DatasetInput {
  dataset: Dataset;
  tags: KeyValue[];
}

export interface Run {
  info: RunInfo;
  data: { metrics: MetricPoint[]; params: KeyValue[]; tags: KeyValue[] };
  /** Datasets and MLflow 3 logged models the run used. */
  inputs: { datasetInputs: DatasetInput[]; modelInputs: { modelId: string }[] };
  /** MLflow 3 logged models the run produced (runs/outputs). */
  outputs: { modelOutputs: { modelId: string; step: number }[] };
}
