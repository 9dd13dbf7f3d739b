import "server-only";
import * as experiments from "./experiment-endpoints.server";
import { refuseOtherMethods, type RouteMethod } from "@/lib/http/methods";
import { mlflowHandler, type Endpoint, type MlflowMethod } from "./http.server";
import * as loggedModels from "./logged-model-endpoints.server";
import * as registry from "./registry-endpoints.server";
import * as runs from "./run-endpoints.server";

/**
 * Every MLflow REST endpoint this server speaks, by path under /api/2.0/mlflow and HTTP method
 * (paths and methods verbatim from service.proto and model_registry.proto). Each route file in
 * app/api/2.0/mlflow/ is one line that looks its handlers up here (mlflowRoutes); the tests and
 * the fuzz suite use the same table.
 */
export const MLFLOW_API = {
  "/experiments/create": { POST: experiments.createExperiment },
  "/experiments/get": { GET: experiments.getExperiment },
  "/experiments/get-by-name": { GET: experiments.getExperimentByName },
  "/experiments/search": { GET: experiments.searchExperiments, POST: experiments.searchExperiments },
  "/experiments/update": { POST: experiments.updateExperiment },
  "/experiments/delete": { POST: experiments.deleteExperiment },
  "/experiments/restore": { POST: experiments.restoreExperiment },
  "/experiments/set-experiment-tag": { POST: experiments.setExperimentTag },
  "/experiments/delete-experiment-tag": { POST: experiments.deleteExperimentTag },
  "/runs/create": { POST: runs.createRun },
  "/runs/get": { GET: runs.getRun },
  "/runs/update": { POST: runs.updateRun },
  "/runs/delete": { POST: runs.deleteRun },
  "/runs/restore": { POST: runs.restoreRun },
  "/runs/search": { POST: runs.searchRuns },
  "/runs/log-metric": { POST: runs.logMetric },
  "/runs/log-parameter": { POST: runs.logParameter },
  "/runs/set-tag": { POST: runs.setTag },
  "/runs/delete-tag": { POST: runs.deleteTag },
  "/runs/log-batch": { POST: runs.logBatch },
  "/runs/log-inputs": { POST: runs.logInputs },
  "/runs/outputs": { POST: loggedModels.logOutputs },
  "/runs/log-model": { POST: loggedModels.logModel },
  "/artifacts/list": { GET: loggedModels.listArtifacts },
  "/logged-models": { POST: loggedModels.createLoggedModel },
  "/logged-models/search": { POST: loggedModels.searchLoggedModels },
  "/logged-models/{model_id}": {
    GET: loggedModels.getLoggedModel,
    PATCH: loggedModels.finalizeLoggedModel,
    DELETE: loggedModels.deleteLoggedModel,
  },
  "/logged-models/{model_id}/tags": { PATCH: loggedModels.setLoggedModelTags },
  "/logged-models/{model_id}/tags/{tag_key}": { DELETE: loggedModels.deleteLoggedModelTag },
  "/logged-models/{model_id}/params": { POST: loggedModels.logLoggedModelParams },
  "/logged-models/{model_id}/artifacts/directories": { GET: loggedModels.listLoggedModelArtifacts },
  "/metrics/get-history": { GET: runs.getMetricHistory },
  "/metrics/get-history-bulk-interval": { GET: runs.getMetricHistoryBulkInterval },
  "/registered-models/create": { POST: registry.createRegisteredModel },
  "/registered-models/rename": { POST: registry.renameRegisteredModel },
  "/registered-models/update": { PATCH: registry.updateRegisteredModel },
  "/registered-models/delete": { DELETE: registry.deleteRegisteredModel },
  "/registered-models/get": { GET: registry.getRegisteredModel },
  "/registered-models/search": { GET: registry.searchRegisteredModels },
  "/registered-models/get-latest-versions": { GET: registry.getLatestVersions, POST: registry.getLatestVersions },
  "/registered-models/set-tag": { POST: registry.setRegisteredModelTag },
  "/registered-models/delete-tag": { DELETE: registry.deleteRegisteredModelTag },
  "/registered-models/alias": {
    GET: registry.getModelVersionByAlias,
    POST: registry.setRegisteredModelAlias,
    DELETE: registry.deleteRegisteredModelAlias,
  },
  "/model-versions/create": { POST: registry.createModelVersion },
  "/model-versions/update": { PATCH: registry.updateModelVersion },
  "/model-versions/transition-stage": { POST: registry.transitionModelVersionStage },
  "/model-versions/delete": { DELETE: registry.deleteModelVersion },
  "/model-versions/get": { GET: registry.getModelVersion },
  "/model-versions/search": { GET: registry.searchModelVersions },
  "/model-versions/get-download-uri": { GET: registry.getModelVersionDownloadUri },
  "/model-versions/set-tag": { POST: registry.setModelVersionTag },
  "/model-versions/delete-tag": { DELETE: registry.deleteModelVersionTag },
} as const satisfies Record<string, Partial<Record<MlflowMethod, Endpoint>>>;

export type MlflowPath = keyof typeof MLFLOW_API;

/**
 * Every method of one path's route file, e.g.
 * `export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = mlflowRoutes("/runs/create")`: the
 * table's methods reach their endpoints, the others answer 405 `ENDPOINT_NOT_FOUND` with `Allow`.
 */
export function mlflowRoutes(path: MlflowPath): Record<RouteMethod | "OPTIONS", (req: Request) => Promise<Response>> {
  const endpoints: Partial<Record<MlflowMethod, Endpoint>> = MLFLOW_API[path];
  const handlers: Partial<Record<RouteMethod, (req: Request) => Promise<Response>>> = {};
  for (const [method, found] of Object.entries(endpoints)) handlers[method as MlflowMethod] = mlflowHandler(found, path, method);
  return { ...handlers, ...refuseOtherMethods(handlers) } as Record<RouteMethod | "OPTIONS", (req: Request) => Promise<Response>>;
}
