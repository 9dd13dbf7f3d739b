import type { KeyValue } from "@/lib/tracking/types";

/** Domain shapes of the model registry; lib/mlflow/registry-entities.ts turns them into MLflow's wire format. */
export const STAGES = ["None", "Staging", "Production", "Archived"] as const;
export type Stage = (typeof STAGES)[number];

export interface ModelVersion {
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string | null;
  currentStage: string;
  description: string | null;
  source: string | null;
  runId: string | null;
  status: string;
  statusMessage: string | null;
  runLink: string | null;
  /** The logged model the version was registered from (MLflow 3). */
  modelId: string | null;
  tags: KeyValue[];
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string | null;
  latestVersions: ModelVersion[];
  tags: KeyValue[];
  aliases: { alias: string; version: number }[];
}
