import { beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { emptyReply } from "@/db/test/mlflow";
import { describeTracking } from "@/db/test/tracking";
import { wireRun } from "./entities";

const SEE_DOCS = " See the API docs for more information about request parameters.";
const searched = z.object({ runs: z.array(wireRun).optional(), next_page_token: z.string().optional() });

interface Seed {
  name: string;
  start: number;
  metrics?: Record<string, number | string>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

describeTracking("MLflow runs/search", (stores) => {
  let experiment = "";
  let other = "";
  const ids = new Map<string, string>();

  beforeAll(async () => {
    const { client } = stores();
    const created = z.object({ experiment_id: z.string() });
    experiment = (await client.ok("POST", "/experiments/create", { name: "search-runs" }, created)).experiment_id;
    other = (await client.ok("POST", "/experiments/create", { name: "search-runs-other" }, created)).experiment_id;
    const seeds: (Seed & { experiment: string })[] = [
      {
        experiment,
        name: "sr-one",
        start: 1000,
        metrics: { acc: 0.9, loss: 0.1 },
        params: { model: "lr", lr: "0.1" },
        tags: { team: "nlp" },
      },
      { experiment, name: "sr-two", start: 2000, metrics: { acc: 0.8, loss: 0.7 }, params: { model: "rf" }, tags: { team: "cv" } },
      { experiment, name: "sr-three", start: 3000, metrics: { acc: "NaN" }, params: { model: "lr" } },
      { experiment, name: "sr-four", start: 4000, params: { model: "LR" }, tags: { team: "NLP" } },
      { experiment, name: "sr-deleted", start: 5000, metrics: { acc: 0.95 } },
      { experiment: other, name: "sr-other", start: 6000, metrics: { acc: 0.99 } },
    ];
    for (const seed of seeds) {
      const { run } = await client.ok(
        "POST",
        "/runs/create",
        { experiment_id: seed.experiment, run_name: seed.name, start_time: seed.start },
        z.object({ run: wireRun }),
      );
      ids.set(seed.name, run.info.run_id);
      await client.ok(
        "POST",
        "/runs/log-batch",
        {
          run_id: run.info.run_id,
          metrics: Object.entries(seed.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: seed.start, step: 0 })),
          params: Object.entries(seed.params ?? {}).map(([key, value]) => ({ key, value })),
          tags: Object.entries(seed.tags ?? {}).map(([key, value]) => ({ key, value })),
        },
        emptyReply,
      );
    }
    await client.ok("POST", "/runs/update", { run_id: ids.get("sr-one"), status: "FINISHED", end_time: 1500 }, z.object({}).passthrough());
    await client.ok("POST", "/runs/delete", { run_id: ids.get("sr-deleted") }, emptyReply);
    await client.ok(
      "POST",
      "/runs/log-inputs",
      {
        run_id: ids.get("sr-one"),
        datasets: [
          {
            tags: [{ key: "mlflow.data.context", value: "training" }],
            dataset: { name: "wine", digest: "d1", source_type: "local", source: "{}" },
          },
        ],
      },
      emptyReply,
    );
  });

  const names = async (body: object) => {
    const reply = await stores().client.ok("POST", "/runs/search", { experiment_ids: [experiment], ...body }, searched);
    return (reply.runs ?? []).map((r) => r.info.run_name);
  };

  it("filters on metrics with IEEE semantics for NaN, skipping runs without the metric", async () => {
    expect(await names({ filter: "metrics.acc > 0.85" })).toEqual(["sr-one"]);
    expect(await names({ filter: "metrics.acc != 0.9" })).toEqual(["sr-three", "sr-two"]);
    expect(await names({ filter: "metrics.acc >= 0.8 and metrics.loss < 0.5" })).toEqual(["sr-one"]);
  });

  it("filters on params and tags with =, !=, LIKE and ILIKE", async () => {
    expect(await names({ filter: "params.model = 'lr'" })).toEqual(["sr-three", "sr-one"]);
    expect(await names({ filter: "params.model ILIKE 'lr'" })).toEqual(["sr-four", "sr-three", "sr-one"]);
    expect(await names({ filter: "params.model LIKE 'r%'" })).toEqual(["sr-two"]);
    expect(await names({ filter: "params.model != 'lr'" })).toEqual(["sr-four", "sr-two"]);
    expect(await names({ filter: "tags.team = 'nlp'" })).toEqual(["sr-one"]);
    expect(await names({ filter: "tags.`mlflow.runName` LIKE 'sr-t%'" })).toEqual(["sr-three", "sr-two"]);
  });

  it("filters on attributes, run id lists and datasets", async () => {
    expect(await names({ filter: "attributes.status = 'FINISHED'" })).toEqual(["sr-one"]);
    expect(await names({ filter: "run_name LIKE '%o%'" })).toEqual(["sr-four", "sr-two", "sr-one"]);
    expect(await names({ filter: "start_time >= 3000" })).toEqual(["sr-four", "sr-three"]);
    expect(await names({ filter: "end_time < 2000" })).toEqual(["sr-one"]);
    expect(await names({ filter: `run_id IN ('${ids.get("sr-one")}', '${ids.get("sr-two")}')` })).toEqual(["sr-two", "sr-one"]);
    expect(await names({ filter: `attributes.run_id NOT IN ('${ids.get("sr-one")}')` })).toEqual(["sr-four", "sr-three", "sr-two"]);
    expect(await names({ filter: "dataset.name = 'wine' and dataset.context = 'training'" })).toEqual(["sr-one"]);
    expect(await names({ filter: "dataset.digest IN ('nope')" })).toEqual([]);
  });

  it("orders on several keys, with missing values last and NaN just before them, in both directions", async () => {
    expect(await names({ order_by: ["metrics.acc DESC"] })).toEqual(["sr-one", "sr-two", "sr-three", "sr-four"]);
    expect(await names({ order_by: ["metrics.acc ASC"] })).toEqual(["sr-two", "sr-one", "sr-three", "sr-four"]);
    expect(await names({ filter: "params.model LIKE '%r%'", order_by: ["params.model", "attributes.start_time ASC"] })).toEqual([
      "sr-one",
      "sr-three",
      "sr-two",
    ]);
    expect(await names({ filter: "run_name != 'sr-four'", order_by: ["tags.team DESC"] })).toEqual(["sr-one", "sr-two", "sr-three"]);
    expect(await names({})).toEqual(["sr-four", "sr-three", "sr-two", "sr-one"]);
  });

  it("pages a metric sort filtered on other things the same way, whether a page fits the best-runs window or not", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const reply: z.infer<typeof searched> = await stores().client.ok(
        "POST",
        "/runs/search",
        { experiment_ids: [experiment], filter: "tags.team != 'zzz'", order_by: ["metrics.acc DESC"], max_results: 1, page_token: token },
        searched,
      );
      seen.push(...(reply.runs ?? []).map((r) => r.info.run_name));
      token = reply.next_page_token;
    } while (token);
    expect(seen).toEqual(["sr-one", "sr-two", "sr-four"]);
    expect(await names({ filter: "params.model = 'lr'", order_by: ["metrics.acc DESC"] })).toEqual(["sr-one", "sr-three"]);
    expect(
      await names({ filter: "params.model ILIKE 'lr' and metrics.acc < 0.95", order_by: ["metrics.acc ASC"], max_results: 1 }),
    ).toEqual(["sr-one"]);
  });

  it("searches several experiments and honours run_view_type", async () => {
    const both = await stores().client.ok(
      "POST",
      "/runs/search",
      { experiment_ids: [experiment, other], filter: "metrics.acc > 0.85" },
      searched,
    );
    expect((both.runs ?? []).map((r) => r.info.run_name)).toEqual(["sr-other", "sr-one"]);
    expect(await names({ run_view_type: "DELETED_ONLY" })).toEqual(["sr-deleted"]);
    expect(await names({ run_view_type: "ALL", filter: "metrics.acc > 0.85" })).toEqual(["sr-deleted", "sr-one"]);
    expect(await stores().client.call("POST", "/runs/search", { experiment_ids: [] })).toEqual({ status: 200, json: {} });
  });

  it("pages with opaque tokens that round-trip to the same order", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const reply = await stores().client.ok(
        "POST",
        "/runs/search",
        { experiment_ids: [experiment], max_results: 3, order_by: ["metrics.acc DESC"], page_token: token },
        searched,
      );
      seen.push(...(reply.runs ?? []).map((r) => r.info.run_name));
      token = reply.next_page_token;
    } while (token);
    expect(seen).toEqual(["sr-one", "sr-two", "sr-three", "sr-four"]);
    // One run per page: every page boundary falls inside or between the number, NaN and missing segments.
    const single: string[] = [];
    token = undefined;
    do {
      const reply: z.infer<typeof searched> = await stores().client.ok(
        "POST",
        "/runs/search",
        { experiment_ids: [experiment], max_results: 1, order_by: ["metrics.acc ASC"], page_token: token },
        searched,
      );
      single.push(...(reply.runs ?? []).map((r) => r.info.run_name));
      token = reply.next_page_token;
    } while (token);
    expect(single).toEqual(["sr-two", "sr-one", "sr-three", "sr-four"]);
  });

  it("returns full runs: latest metrics, params, tags and inputs", async () => {
    const reply = await stores().client.ok("POST", "/runs/search", { experiment_ids: [experiment], filter: "tags.team = 'nlp'" }, searched);
    const [run] = reply.runs ?? [];
    expect(run?.data.metrics).toEqual([
      { key: "acc", value: 0.9, timestamp: 1000, step: 0 },
      { key: "loss", value: 0.1, timestamp: 1000, step: 0 },
    ]);
    expect(run?.data.params).toEqual([
      { key: "lr", value: "0.1" },
      { key: "model", value: "lr" },
    ]);
    expect(run?.inputs.dataset_inputs?.[0]?.dataset.name).toBe("wine");
  });

  it("rejects bad requests with MLflow's messages", async () => {
    const { client } = stores();
    const fail = async (body: object) => (await client.fail("POST", "/runs/search", { experiment_ids: [experiment], ...body })).message;
    expect(await fail({ max_results: 50001 })).toBe(
      `Invalid value 50001 for parameter 'max_results' supplied. Hint: Value was of type 'int'.${SEE_DOCS}`,
    );
    expect(await fail({ max_results: 0 })).toBe("Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer");
    expect(await fail({ filter: "metrics.acc > 'high'" })).toBe("Expected numeric value type for metric. Found 'high'");
    expect(await fail({ filter: "metrics.acc > 1 OR params.a = 'b'" })).toBe("Invalid clause(s) in filter string: 'OR params.a = 'b''");
    expect(await fail({ order_by: ["metrics.acc sideways"] })).toBe("Invalid ordering key in order_by clause 'metrics.acc sideways'.");
    expect(await fail({ experiment_ids: ["abc"] })).toBe("Invalid experiment ID: 'abc'");
    expect(await fail({ run_view_type: "SOME" })).toMatch(/^Invalid value "SOME" for parameter 'run_view_type'/);
  });
});
