import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emptyReply } from "@/db/test/mlflow";
import { describeTracking } from "@/db/test/tracking";
import { wireRun, wireRunInfo } from "./entities";

const SEE_DOCS = " See the API docs for more information about request parameters.";
const runReply = z.object({ run: wireRun });

describeTracking("MLflow runs API", (stores) => {
  const newRun = async (body: object = {}) => (await stores().client.ok("POST", "/runs/create", body, runReply)).run;
  const getRun = async (runId: string) => (await stores().client.ok("GET", "/runs/get", { run_id: runId }, runReply)).run;

  describe("create, get, update", () => {
    it("creates a run in the Default experiment with a generated name and the name tag", async () => {
      const run = await newRun({ start_time: 1_700_000_000_000, user_id: "ann", tags: [{ key: "team", value: "nlp" }] });
      expect(run.info).toEqual({
        run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        run_uuid: run.info.run_id,
        run_name: expect.stringMatching(/^[a-z]+-[a-z]+-\d{1,3}$/),
        experiment_id: "0",
        user_id: "ann",
        status: "RUNNING",
        start_time: 1_700_000_000_000,
        artifact_uri: `mlflow-artifacts:/0/${run.info.run_id}/artifacts`,
        lifecycle_stage: "active",
      });
      expect(run.data).toEqual({
        tags: [
          { key: "mlflow.runName", value: run.info.run_name },
          { key: "team", value: "nlp" },
        ],
      });
      expect(run.inputs).toEqual({});
    });

    it("takes the name from run_name or the mlflow.runName tag, and rejects a mismatch", async () => {
      expect((await newRun({ run_name: "given" })).info.run_name).toBe("given");
      expect((await newRun({ tags: [{ key: "mlflow.runName", value: "tagged" }] })).info.run_name).toBe("tagged");
      expect(
        (await stores().client.fail("POST", "/runs/create", { run_name: "a", tags: [{ key: "mlflow.runName", value: "b" }] })).message,
      ).toBe(
        "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='a', mlflow.runName='b').",
      );
    });

    it("reads run_uuid as an alias of run_id, and answers 404 and 400 as MLflow", async () => {
      const run = await newRun();
      expect((await stores().client.ok("GET", "/runs/get", { run_uuid: run.info.run_id }, runReply)).run.info.run_id).toBe(run.info.run_id);
      expect(await stores().client.fail("GET", "/runs/get", { run_id: "f".repeat(32) })).toEqual({
        status: 404,
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: `Run with id=${"f".repeat(32)} not found`,
      });
      expect((await stores().client.fail("GET", "/runs/get", {})).message).toBe(
        `Missing value for required parameter 'run_id'.${SEE_DOCS}`,
      );
    });

    it("updates status, end time and name (name tag included)", async () => {
      const run = await newRun();
      const { run_info } = await stores().client.ok(
        "POST",
        "/runs/update",
        { run_id: run.info.run_id, status: "FINISHED", end_time: "1700000009999", run_name: "renamed" },
        z.object({ run_info: wireRunInfo }),
      );
      expect(run_info).toMatchObject({ status: "FINISHED", end_time: 1_700_000_009_999, run_name: "renamed" });
      expect((await getRun(run.info.run_id)).data.tags).toContainEqual({ key: "mlflow.runName", value: "renamed" });
      const byNumber = await stores().client.ok(
        "POST",
        "/runs/update",
        { run_uuid: run.info.run_id, status: 4 },
        z.object({ run_info: wireRunInfo }),
      );
      expect(byNumber.run_info.status).toBe("FAILED");
      expect((await stores().client.fail("POST", "/runs/update", { run_id: run.info.run_id, status: "DONE" })).message).toBe(
        `Invalid value "DONE" for parameter 'status' supplied. Hint: Value was of type 'str'.${SEE_DOCS}`,
      );
    });
  });

  describe("metrics, params and tags", () => {
    it("round-trips NaN and ±Infinity, and keeps the point with the greatest step as latest", async () => {
      const { client } = stores();
      const run = await newRun();
      const id = run.info.run_id;
      await client.ok("POST", "/runs/log-metric", { run_id: id, key: "loss", value: "NaN", timestamp: 10, step: 0 }, emptyReply);
      await client.ok("POST", "/runs/log-metric", { run_id: id, key: "loss", value: "Infinity", timestamp: 11, step: 2 }, emptyReply);
      await client.ok("POST", "/runs/log-metric", { run_id: id, key: "loss", value: "-Infinity", timestamp: 30, step: 1 }, emptyReply);
      await client.ok("POST", "/runs/log-metric", { run_uuid: id, key: "acc", value: "0.5", timestamp: "12" }, emptyReply);
      expect((await getRun(id)).data.metrics).toEqual([
        { key: "acc", value: 0.5, timestamp: 12, step: 0 },
        { key: "loss", value: "Infinity", timestamp: 11, step: 2 },
      ]);
      const history = await client.ok(
        "GET",
        "/metrics/get-history",
        { run_id: id, metric_key: "loss" },
        z.object({ metrics: z.array(z.unknown()) }),
      );
      expect(history.metrics).toEqual([
        { key: "loss", value: "NaN", timestamp: 10, step: 0 },
        { key: "loss", value: "Infinity", timestamp: 11, step: 2 },
        { key: "loss", value: "-Infinity", timestamp: 30, step: 1 },
      ]);
    });

    it("rejects malformed metrics", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      expect((await client.fail("POST", "/runs/log-metric", { run_id: id, key: "m", value: 1 })).message).toBe(
        `Missing value for required parameter 'timestamp'.${SEE_DOCS}`,
      );
      expect((await client.fail("POST", "/runs/log-metric", { run_id: id, key: "m", value: "high", timestamp: 1 })).message).toMatch(
        /^Invalid value "high" for parameter 'value' supplied/,
      );
      expect((await client.fail("POST", "/runs/log-metric", { run_id: id, key: "bad:key", value: 1, timestamp: 1 })).message).toMatch(
        /^Invalid metric name: 'bad:key'/,
      );
      expect((await client.fail("POST", "/runs/log-batch", { run_id: id, metrics: [{ key: "m", value: 1 }] })).message).toBe(
        `Missing value for required parameter 'metrics[0].timestamp'.${SEE_DOCS}`,
      );
    });

    it("keeps params immutable: the same value again is fine, another value is a 400", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      await client.ok("POST", "/runs/log-parameter", { run_id: id, key: "lr", value: "0.1" }, emptyReply);
      await client.ok("POST", "/runs/log-parameter", { run_id: id, key: "lr", value: "0.1" }, emptyReply);
      expect(await client.fail("POST", "/runs/log-parameter", { run_id: id, key: "lr", value: "0.2" })).toEqual({
        status: 400,
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${id}'. Attempted logging new value '0.2'.`,
      });
      expect(
        (
          await client.fail("POST", "/runs/log-batch", {
            run_id: id,
            params: [
              { key: "lr", value: "0.3" },
              { key: "new", value: "1" },
            ],
          })
        ).message,
      ).toBe(
        `Changing param values is not allowed. Params were already logged='[{'key': 'lr', 'old_value': '0.1', 'new_value': '0.3'}]' for run ID='${id}'.`,
      );
      // The rejected batch wrote nothing.
      expect((await getRun(id)).data.params).toEqual([{ key: "lr", value: "0.1" }]);
    });

    it("sets, overwrites and deletes tags; the name tag renames the run", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      await client.ok("POST", "/runs/set-tag", { run_id: id, key: "t", value: "1" }, emptyReply);
      await client.ok("POST", "/runs/set-tag", { run_uuid: id, key: "t", value: "2" }, emptyReply);
      await client.ok("POST", "/runs/set-tag", { run_id: id, key: "mlflow.runName", value: "via-tag" }, emptyReply);
      const run = await getRun(id);
      expect(run.info.run_name).toBe("via-tag");
      expect(run.data.tags).toContainEqual({ key: "t", value: "2" });
      await client.ok("POST", "/runs/delete-tag", { run_id: id, key: "t" }, emptyReply);
      expect(await client.fail("POST", "/runs/delete-tag", { run_id: id, key: "t" })).toEqual({
        status: 404,
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: `No tag with name: t in run with id ${id}`,
      });
      // MLflow 3 truncates over-long tag values (MLFLOW_TRUNCATE_LONG_VALUES) instead of refusing them.
      await client.ok("POST", "/runs/set-tag", { run_id: id, key: "long", value: "v".repeat(8001) }, emptyReply);
      const tagged = await client.ok("GET", "/runs/get", { run_id: id }, runReply);
      expect(tagged.run.data.tags).toContainEqual({ key: "long", value: "v".repeat(8000) });
    });

    it("truncates over-long param and tag values from log-parameter, log-batch and runs/create, and keeps params immutable", async () => {
      const { client } = stores();
      const created = await client.ok("POST", "/runs/create", { tags: [{ key: "note", value: "n".repeat(9000) }] }, runReply);
      const id = created.run.info.run_id;
      expect(created.run.data.tags).toContainEqual({ key: "note", value: "n".repeat(8000) });
      await client.ok("POST", "/runs/log-parameter", { run_id: id, key: "p", value: "a".repeat(7000) }, emptyReply);
      // The same over-long value again truncates to what is stored: a no-op, not a change.
      await client.ok("POST", "/runs/log-parameter", { run_id: id, key: "p", value: "a".repeat(6500) }, emptyReply);
      await client.ok(
        "POST",
        "/runs/log-batch",
        { run_id: id, params: [{ key: "q", value: "b".repeat(6001) }], tags: [{ key: "t", value: "c".repeat(8001) }] },
        emptyReply,
      );
      const { run } = await client.ok("GET", "/runs/get", { run_id: id }, runReply);
      expect(run.data.params).toEqual([
        { key: "p", value: "a".repeat(6000) },
        { key: "q", value: "b".repeat(6000) },
      ]);
      expect(run.data.tags).toContainEqual({ key: "t", value: "c".repeat(8000) });
      expect((await client.fail("POST", "/runs/log-parameter", { run_id: id, key: "k".repeat(251), value: "x" })).message).toMatch(
        /had length 251, which exceeded length limit of 250$/,
      );
    });
  });

  describe("log-batch limits", () => {
    const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `m${i % 7}`, value: i, timestamp: 1000 + i, step: i }));
    const kv = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));

    it("accepts 1000 metrics at once, and all of them reach the history", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      await client.ok("POST", "/runs/log-batch", { run_id: id, metrics: metrics(1000), params: [], tags: [] }, emptyReply);
      const history = await client.ok(
        "GET",
        "/metrics/get-history",
        { run_id: id, metric_key: "m3" },
        z.object({ metrics: z.array(z.object({ step: z.number() })) }),
      );
      expect(history.metrics).toHaveLength(143);
      expect((await getRun(id)).data.metrics).toContainEqual({ key: "m6", value: 993, timestamp: 1993, step: 993 });
    });

    it("rejects batches over MLflow's limits with its messages", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      expect((await client.fail("POST", "/runs/log-batch", { run_id: id, metrics: metrics(1001) })).message).toBe(
        "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.",
      );
      expect((await client.fail("POST", "/runs/log-batch", { run_id: id, params: kv(101, "p") })).message).toMatch(
        /at most 100 params. Got 101 params/,
      );
      expect((await client.fail("POST", "/runs/log-batch", { run_id: id, tags: kv(101, "t") })).message).toMatch(
        /at most 100 tags. Got 101 tags/,
      );
      expect(
        (await client.fail("POST", "/runs/log-batch", { run_id: id, metrics: metrics(900), params: kv(50, "p"), tags: kv(51, "t") }))
          .message,
      ).toMatch(/at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags/);
      expect(
        (
          await client.fail("POST", "/runs/log-batch", {
            run_id: id,
            params: [
              { key: "a", value: "1" },
              { key: "a", value: "2" },
            ],
          })
        ).message,
      ).toBe("Duplicate parameter keys have been submitted: ['a']. Please ensure the request contains only one param value per param key.");
      const huge = { run_id: id, params: [{ key: "big", value: "x".repeat(1_000_100) }] };
      expect((await client.fail("POST", "/runs/log-batch", huge)).message).toMatch(
        /^Batched logging API requests must be at most 1000000 bytes, got a request of size \d+\.$/,
      );
      expect((await client.fail("POST", "/runs/log-batch", { run_id: "../etc", metrics: [] })).message).toBe("Invalid run ID: '../etc'");
      expect((await getRun(id)).data).toEqual({ tags: [expect.objectContaining({ key: "mlflow.runName" })] });
    });
  });

  describe("lifecycle", () => {
    it("rejects every write to a deleted run, and accepts them again after restore", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      await client.ok("POST", "/runs/delete", { run_id: id, run_uuid: id }, emptyReply);
      expect((await getRun(id)).info.lifecycle_stage).toBe("deleted");
      const inactive = `The run ${id} must be in the 'active' state. Current state is deleted.`;
      const writes: [Parameters<typeof client.fail>[1], object][] = [
        ["/runs/log-metric", { run_id: id, key: "m", value: 1, timestamp: 1 }],
        ["/runs/log-parameter", { run_id: id, key: "p", value: "1" }],
        ["/runs/set-tag", { run_id: id, key: "t", value: "1" }],
        ["/runs/log-batch", { run_id: id, metrics: [{ key: "m", value: 1, timestamp: 1 }] }],
        ["/runs/update", { run_id: id, status: "FINISHED" }],
        ["/runs/log-inputs", { run_id: id, datasets: [] }],
      ];
      for (const [path, body] of writes) {
        expect(await client.fail("POST", path, body), path).toEqual({
          status: 400,
          error_code: "INVALID_PARAMETER_VALUE",
          message: inactive,
        });
      }
      await client.ok("POST", "/runs/restore", { run_id: id }, emptyReply);
      await client.ok("POST", "/runs/log-metric", { run_id: id, key: "m", value: 1, timestamp: 1 }, emptyReply);
      expect((await client.fail("POST", "/runs/delete", { run_id: "0".repeat(32) })).status).toBe(404);
    });
  });

  describe("metric history", () => {
    it("pages get-history with max_results and tokens, in (timestamp, step, value) order, without duplicates", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      const points = Array.from({ length: 25 }, (_, i) => ({ key: "x", value: i / 2, timestamp: 5000 - i, step: i }));
      await client.ok("POST", "/runs/log-batch", { run_id: id, metrics: points }, emptyReply);
      await client.ok("POST", "/runs/log-batch", { run_id: id, metrics: points.slice(0, 5) }, emptyReply);
      const page = z.object({
        metrics: z.array(z.object({ step: z.number(), timestamp: z.number() })),
        next_page_token: z.string().optional(),
      });
      const seen: number[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const reply = await client.ok(
          "GET",
          "/metrics/get-history",
          { run_id: id, metric_key: "x", max_results: 10, ...(token ? { page_token: token } : {}) },
          page,
        );
        seen.push(...reply.metrics.map((m) => m.step));
        token = reply.next_page_token;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
      expect(await client.call("GET", "/metrics/get-history", { run_id: id, metric_key: "nothing" })).toEqual({ status: 200, json: {} });
      expect((await client.fail("GET", "/metrics/get-history", { run_id: "a".repeat(32), metric_key: "x" })).status).toBe(404);
      expect((await client.fail("GET", "/metrics/get-history", { run_id: id, metric_key: "x", page_token: "%%%" })).message).toBe(
        "Invalid page token, could not base64-decode",
      );
    });

    it("samples bulk-interval history per run, keeping each run's first and last step", async () => {
      const { client } = stores();
      const [a, b] = [(await newRun()).info.run_id, (await newRun()).info.run_id];
      const series = (n: number, from = 0) =>
        Array.from({ length: n }, (_, i) => ({ key: "loss", value: i, timestamp: 1 + i, step: from + i }));
      await client.ok("POST", "/runs/log-batch", { run_id: a, metrics: series(100) }, emptyReply);
      await client.ok("POST", "/runs/log-batch", { run_id: b, metrics: series(7, 3) }, emptyReply);
      const reply = z.object({ metrics: z.array(z.object({ run_id: z.string(), step: z.number(), key: z.string() })) });
      const bulk = await client.ok(
        "GET",
        "/metrics/get-history-bulk-interval",
        { run_ids: [b, a], metric_key: "loss", max_results: 10 },
        reply,
      );
      const stepsOf = (run: string) => bulk.metrics.filter((m) => m.run_id === run).map((m) => m.step);
      expect(bulk.metrics[0]?.run_id).toBe(b);
      expect(stepsOf(a)).toEqual([0, 3, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]);
      expect(stepsOf(b)).toEqual([3, 9]);
      const ranged = await client.ok(
        "GET",
        "/metrics/get-history-bulk-interval",
        { run_ids: a, metric_key: "loss", start_step: 10, end_step: 14 },
        reply,
      );
      expect(ranged.metrics.map((m) => m.step)).toEqual([10, 11, 12, 13, 14]);
      expect(
        (await client.fail("GET", "/metrics/get-history-bulk-interval", { run_ids: a, metric_key: "loss", start_step: 1 })).message,
      ).toBe("If either start step or end step are specified, both must be specified.");
      expect(
        (await client.fail("GET", "/metrics/get-history-bulk-interval", { run_ids: a, metric_key: "loss", start_step: 5, end_step: 1 }))
          .message,
      ).toBe("end_step must be greater than start_step. Found start_step=5 and end_step=1.");
      expect(
        (await client.fail("GET", "/metrics/get-history-bulk-interval", { run_ids: a, metric_key: "loss", max_results: 0 })).message,
      ).toBe(`max_results must be between 1 and 2500.${SEE_DOCS}`);
      const tooMany = Array.from({ length: 101 }, (_, i) => `r${i}`);
      expect((await client.fail("GET", "/metrics/get-history-bulk-interval", { run_ids: tooMany, metric_key: "loss" })).message).toBe(
        `GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids.${SEE_DOCS}`,
      );
    });
  });

  describe("dataset inputs", () => {
    it("logs datasets with input tags once, and shows them on the run", async () => {
      const { client } = stores();
      const id = (await newRun()).info.run_id;
      const input = {
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: {
          name: "wine",
          digest: "abc123",
          source_type: "local",
          source: '{"uri": "/data/wine.csv"}',
          schema: '{"mlflow_colspec": []}',
        },
      };
      await client.ok("POST", "/runs/log-inputs", { run_id: id, datasets: [input, input] }, emptyReply);
      await client.ok("POST", "/runs/log-inputs", { run_id: id, datasets: [input] }, emptyReply);
      expect((await getRun(id)).inputs).toEqual({ dataset_inputs: [input] });
      expect((await client.fail("POST", "/runs/log-inputs", { run_id: id, datasets: [{ dataset: { name: "x" } }] })).message).toBe(
        `Missing value for required parameter 'datasets[0].dataset.digest'.${SEE_DOCS}`,
      );
      expect(
        (
          await client.fail("POST", "/runs/log-inputs", {
            run_id: id,
            datasets: [{ ...input, dataset: { ...input.dataset, digest: "d".repeat(37) } }],
          })
        ).message,
      ).toMatch(/^Dataset digest '.*' had length 37, which exceeded length limit of 36$/);
    });
  });
});
