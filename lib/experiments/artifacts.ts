import { z } from "zod";

/** The run page's Artifacts tab: the roots a run has (its own, and each model it logged) and one folder's entries. */
export const artifactRoot = z.object({
  /** `run`, or a logged model's id. */
  id: z.string(),
  label: z.string(),
  uri: z.string(),
  /** Where the proxy serves the root's files (`/api/2.0/mlflow-artifacts/artifacts/<path>`); null when this server does not hold them. */
  downloadBase: z.string().nullable(),
  status: z.string().optional(),
});
export type ArtifactRoot = z.output<typeof artifactRoot>;

export const artifactEntry = z.object({ path: z.string(), name: z.string(), isDir: z.boolean(), size: z.number().optional() });
export type ArtifactEntry = z.output<typeof artifactEntry>;

export const artifactsReply = z.object({
  roots: z.array(artifactRoot),
  root: z.string(),
  path: z.string(),
  entries: z.array(artifactEntry),
});
export type ArtifactsReply = z.output<typeof artifactsReply>;

export const artifactsQuery = z.object({ root: z.string().max(100).default("run"), path: z.string().max(1024).default("") });

/** The tab's state in the URL: which root, and the selected file or folder within it. */
export const artifactsState = z.object({ root: z.string().max(100).default("run"), path: z.string().max(1024).default("") });
