import { expect, test } from "@playwright/test";
import MLflow from "mlflow";
import { BEARER } from "./auth-fixtures";

// What an MLflow client does when it logs files and a model, request by request as
// mlflow/store/artifact/http_artifact_repo.py and the MLflow 3 fluent API send them, then the run
// page's Artifacts tab: the tree, previews, and a logged model's signature. Also the link MLflow
// prints ("View run at …/#/experiments/N/runs/ID"), which must land on the run page.
const base = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;
const api = `${base}/api/2.0/mlflow`;

async function post<T>(path: string, body: object, method = "POST"): Promise<T> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { ...BEARER, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

async function put(location: string, file: string, body: string | Uint8Array<ArrayBuffer>, type = "application/octet-stream") {
  const path = `${location.replace("mlflow-artifacts:/", "")}/${file}`;
  const res = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
    method: "PUT",
    headers: { ...BEARER, "content-type": type },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

// A 1×1 PNG.
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) =>
  c.charCodeAt(0),
);
const MLMODEL = [
  "artifact_path: model",
  "flavors:",
  "  python_function: {loader_module: mlflow.sklearn}",
  "  sklearn: {sklearn_version: 1.5.0}",
  "mlflow_version: 3.1.0",
  "signature:",
  `  inputs: '[{"type": "double", "name": "sepal_length", "required": true}]'`,
  `  outputs: '[{"type": "long", "required": true}]'`,
].join("\n");

test("a run's artifacts and logged model through the MLflow API, then browsed and previewed on the run page", async ({ page }) => {
  const { experiment_id } = await post<{ experiment_id: string }>("/experiments/create", { name: `artifacts-e2e-${Date.now()}` });
  const { run } = await post<{ run: { info: { run_id: string; artifact_uri: string } } }>("/runs/create", {
    experiment_id,
    run_name: "with-files",
  });
  const runId = run.info.run_id;
  expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${experiment_id}/${runId}/artifacts`);

  await put(run.info.artifact_uri, "metrics.json", '{"accuracy": 0.93, "loss": 0.2}', "application/json");
  await put(run.info.artifact_uri, "eval/preds.csv", "id,label,score\n1,cat,0.9\n2,dog,0.4\n", "text/csv");
  await put(run.info.artifact_uri, "plots/confusion.png", PNG, "image/png");

  const { model } = await post<{ model: { info: { model_id: string; artifact_uri: string } } }>("/logged-models", {
    experiment_id,
    name: "iris",
    source_run_id: runId,
  });
  await put(model.info.artifact_uri, "MLmodel", MLMODEL, "text/plain");
  await put(model.info.artifact_uri, "requirements.txt", "scikit-learn==1.5.0\n", "text/plain");
  await post("/runs/outputs", { run_id: runId, models: [{ model_id: model.info.model_id, step: 0 }] });
  await post(`/logged-models/${model.info.model_id}`, { model_id: model.info.model_id, status: "LOGGED_MODEL_READY" }, "PATCH");

  // The npm client's one artifact call, against the running app.
  const { Artifacts } = new MLflow({ endpoint: base, headers: BEARER });
  const listed = await Artifacts.list({ run_id: runId, path: "eval" });
  expect(listed).toEqual({ root_uri: run.info.artifact_uri, files: [{ path: "eval/preds.csv", is_dir: false, file_size: 35 }] });

  // Downloads stream with the type, and byte ranges work over HTTP.
  const download = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${runId}/artifacts/metrics.json`, {
    headers: { ...BEARER, range: "bytes=1-10" },
  });
  expect(download.status).toBe(206);
  expect(await download.text()).toBe('"accuracy"');
  const ajax = await fetch(`${base}/ajax-api/2.0/mlflow-artifacts/artifacts?path=${experiment_id}/${runId}/artifacts`, { headers: BEARER });
  expect(((await ajax.json()) as { files: { path: string }[] }).files.map((f) => f.path)).toEqual(["eval", "metrics.json", "plots"]);

  // The link MLflow prints lands on the run page.
  await page.goto(`/#/experiments/${experiment_id}/runs/${runId}`);
  await expect(page).toHaveURL(new RegExp(`/experiments/${experiment_id}/runs/${runId}$`));
  await page.getByRole("tab", { name: "Artifacts" }).click();
  const tree = page.getByRole("navigation", { name: "Artifact tree" });
  await expect(tree.getByRole("treeitem")).toHaveCount(3);

  await tree.getByRole("button", { name: /metrics\.json/ }).click();
  await expect(page.getByText('"accuracy": 0.93')).toBeVisible();
  await expect(page).toHaveURL(/tab=artifacts&path=metrics\.json|path=metrics\.json.*tab=artifacts/);

  await tree.getByRole("button", { name: "eval", exact: true }).click();
  await tree.getByRole("button", { name: /preds\.csv/ }).click();
  const table = page.getByRole("table", { name: /preds\.csv/ });
  await expect(table.getByRole("columnheader", { name: "score" })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(3);

  await tree.getByRole("button", { name: "plots", exact: true }).click();
  await tree.getByRole("button", { name: /confusion\.png/ }).click();
  await expect(page.getByRole("img", { name: "confusion.png" })).toBeVisible();
  // The browser decodes the stored bytes: a real 1×1 image, not a broken one.
  await expect.poll(() => page.getByRole("img", { name: "confusion.png" }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

  // The logged model is a root of its own: its folder shows flavors, signature and requirements.
  await page.getByRole("button", { name: "iris (logged model)" }).click();
  await expect(page.getByText("Flavors:")).toContainText("python_function, sklearn");
  await expect(page.getByRole("table", { name: "Signature inputs" }).getByRole("cell", { name: "sepal_length" })).toBeVisible();
  await expect(page.getByText("scikit-learn==1.5.0")).toBeVisible();
});
