import { z } from "zod";
import { jsonInText, type EvalSubject, type Verdict } from "./deterministic";
import { baseType, type JudgeType } from "./evaluator-spec";

/**
 * LLM judges. A judge is a gateway call: a function (its variants and prompt versions are the
 * judge, recorded like any inference) gets the variables below; a model gets one of the built-in
 * templates. Either answers JSON `{score, reasoning}` (and optionally `pass`), validated here.
 * The RAG triad follows TruLens' definitions: groundedness = the share of the answer's claims the
 * context supports, answer relevance = the answer's relevance to the question, context relevance =
 * the context's relevance to the question; TruLens' 0–3 ratings are normalised to 0–1.
 */

export type RagKind = "groundedness" | "answer_relevance" | "context_relevance";

export function ragKind(type: JudgeType): RagKind | undefined {
  switch (baseType(type)) {
    case "groundedness":
    case "context-faithfulness":
      return "groundedness";
    case "answer_relevance":
    case "answer-relevance":
      return "answer_relevance";
    case "context_relevance":
    case "context-relevance":
      return "context_relevance";
    default:
      return undefined;
  }
}

const JSON_REPLY = 'Answer with JSON only: {"score": <number>, "reasoning": "<one or two sentences>"}.';

const TEMPLATES: Record<RagKind, { system: string; user: (s: EvalSubject) => string }> = {
  groundedness: {
    system:
      "You are an INFORMATION OVERLAP classifier. Split the ANSWER into its statements. For each statement, rate from 0 to 3 how well the SOURCE supports it (0 = not at all, 3 = fully supported). " +
      `The score is the average rating over the statements (0 to 3). ${JSON_REPLY}`,
    user: (s) => `SOURCE:\n${s.context ?? ""}\n\nANSWER:\n${s.output}`,
  },
  answer_relevance: {
    system:
      "You are a RELEVANCE grader: rate from 0 to 3 how relevant the RESPONSE is to the PROMPT (0 = irrelevant, 3 = relevant to every part of the prompt). " +
      JSON_REPLY,
    user: (s) => `PROMPT:\n${s.question}\n\nRESPONSE:\n${s.output}`,
  },
  context_relevance: {
    system:
      "You are a RELEVANCE grader: rate from 0 to 3 how relevant the CONTEXT is to the QUESTION (0 = irrelevant, 3 = relevant and sufficient to answer it). " +
      JSON_REPLY,
    user: (s) => `QUESTION:\n${s.question}\n\nCONTEXT:\n${s.context ?? ""}`,
  },
};

const RUBRIC_SYSTEM =
  "You grade an OUTPUT against a RUBRIC. Decide whether the output satisfies the rubric and how well, from 0 (not at all) to 1 (fully). " +
  'Answer with JSON only: {"pass": <true|false>, "score": <0 to 1>, "reasoning": "<one or two sentences>"}.';

/** The messages a model judge gets for a built-in check. */
export function judgeMessages(type: JudgeType, rubric: string | undefined, s: EvalSubject): { role: "system" | "user"; content: string }[] {
  const rag = ragKind(type);
  if (rag)
    return [
      { role: "system", content: TEMPLATES[rag].system },
      { role: "user", content: TEMPLATES[rag].user(s) },
    ];
  const expected = s.expected ? `\n\nREFERENCE ANSWER:\n${s.expected}` : "";
  return [
    { role: "system", content: RUBRIC_SYSTEM },
    { role: "user", content: `RUBRIC:\n${rubric ?? ""}\n\nQUESTION:\n${s.question}\n\nOUTPUT:\n${s.output}${expected}` },
  ];
}

/** What a judge function's templates can use. */
export function judgeVariables(type: JudgeType, rubric: string | undefined, s: EvalSubject): Record<string, string> {
  return {
    criterion: ragKind(type) ?? "rubric",
    rubric: rubric ?? "",
    question: s.question,
    output: s.output,
    expected: s.expected ?? "",
    context: s.context ?? "",
  };
}

const judgeReply = z.object({
  score: z.number(),
  reasoning: z.string().optional(),
  reason: z.string().optional(),
  pass: z.boolean().optional(),
});

/**
 * The judge's answer as a verdict. Built-in RAG templates rate 0–3 (normalised); everything else
 * answers 0–1. A score outside its scale, or an answer that is not the JSON asked for, is an error.
 */
export function parseJudgeReply(
  type: JudgeType,
  content: string,
  threshold: number | undefined,
  scale: 1 | 3,
): { ok: true; verdict: Verdict } | { ok: false; error: string } {
  const found = jsonInText(content).find((j) => judgeReply.safeParse(j).success);
  if (!found) return { ok: false, error: `the judge did not answer {"score", "reasoning"} JSON: "${content.slice(0, 120)}"` };
  const reply = judgeReply.parse(found);
  if (reply.score < 0 || reply.score > scale) return { ok: false, error: `the judge's score ${reply.score} is outside 0–${scale}` };
  const score = reply.score / scale;
  const min = threshold ?? 0.5;
  const pass = baseType(type) === "llm-rubric" && reply.pass !== undefined && threshold === undefined ? reply.pass : score >= min;
  return { ok: true, verdict: { pass, score, reason: reply.reasoning ?? reply.reason ?? "" } };
}
