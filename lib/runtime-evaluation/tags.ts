/** Tags on runtime scores and on judge calls (judge calls also carry llmops.evaluation_run, see README). */
export const RUNTIME_TAGS = {
  job: "llmops.runtime_evaluation",
  judgeInference: "llmops.judge_inference",
  judgeVersion: "llmops.judge_version",
  judgeCost: "llmops.judge_cost",
  judged: "llmops.judged_inference",
} as const;
