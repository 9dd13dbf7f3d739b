import { expect, test } from "@playwright/test";

test("GET /api/lineage returns the graph around a run: parent, child, experiment", async ({ request }) => {
  const post = async (path: string, data: object) => {
    const res = await request.post(`/api/2.0/mlflow${path}`, { data });
    expect(res.status(), await res.text()).toBe(200);
    return res.json();
  };
  const { experiment_id } = await post("/experiments/create", { name: `lineage-e2e-${Date.now()}` });
  const parent = (await post("/runs/create", { experiment_id, run_name: "parent" })).run.info.run_id;
  const child = (await post("/runs/create", { experiment_id, run_name: "child", tags: [{ key: "mlflow.parentRunId", value: parent }] })).run
    .info.run_id;

  const res = await request.get(`/api/lineage?node=run:${parent}&depth=1`);
  expect(res.status()).toBe(200);
  const graph = await res.json();
  expect(graph).toMatchObject({ root: `run:${parent}`, depth: 1, truncated: false });
  expect(graph.edges).toEqual(
    expect.arrayContaining([
      { source: `run:${parent}`, target: `run:${child}`, relation: "parent_of" },
      { source: `run:${parent}`, target: `experiment:${experiment_id}`, relation: "in_experiment" },
    ]),
  );
  expect(graph.nodes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ id: `run:${child}`, label: "child", href: `/experiments/${experiment_id}/runs/${child}` }),
    ]),
  );
});

test("GET /api/lineage rejects a malformed node or depth with a 400 that says what is wrong", async ({ request }) => {
  const res = await request.get("/api/lineage?node=nonsense");
  expect(res.status()).toBe(400);
  expect((await res.json()).error.message).toMatch(/"nonsense" is not a lineage node; write KIND:ID/);
  expect((await request.get("/api/lineage?node=run:x&depth=9")).status()).toBe(400);
});
