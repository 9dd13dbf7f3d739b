import type { KeyValue } from "@/lib/tracking/types";

/** LoggedModelStatus (service.proto), by name; numbers as clients may send them. */
export const LOGGED_MODEL_STATUSES = [
  "LOGGED_MODEL_STATUS_UNSPECIFIED",
  "LOGGED_MODEL_PENDING",
  "LOGGED_MODEL_READY",
  "LOGGED_MODEL_UPLOAD_FAILED",
] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];
export const LOGGED_MODEL_STATUS_NUMBERS: Readonly<Record<number, LoggedModelStatus>> = {
  0: "LOGGED_MODEL_STATUS_UNSPECIFIED",
  1: "LOGGED_MODEL_PENDING",
  2: "LOGGED_MODEL_READY",
  3: "LOGGED_MODEL_UPLOAD_FAILED",
};

export interface LoggedModelMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  runId: string | null;
  datasetName: string | null;
  datasetDigest: string | null;
}

export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactLocation: string;
  creationTime: number;
  lastUpdatedTime: number;
  modelType: string | null;
  sourceRunId: string | null;
  status: LoggedModelStatus;
  statusMessage: string | null;
  lifecycleStage: string;
  tags: KeyValue[];
  params: KeyValue[];
  metrics: LoggedModelMetric[];
}

/** A metric point a run links to a model (log-batch / log-metric with `model_id`). */
export interface ModelMetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  modelId: string;
  datasetName?: string;
  datasetDigest?: string;
}

/** MLflow's tag on a logged model listing the registry versions made from it. */
export const MODEL_VERSIONS_TAG = "mlflow.modelVersions";
