/** The dashboard's areas, in navigation order. */
export const SECTIONS = [
  { href: "/", label: "Overview", description: "Health of the stores and what this instance holds." },
  {
    href: "/experiments",
    label: "Experiments",
    description: "Experiments and runs logged through the MLflow-compatible tracking API.",
  },
  {
    href: "/registry",
    label: "Prompts & Models",
    description: "Versioned prompts and models with aliases such as production and staging.",
  },
  {
    href: "/playground",
    label: "Playground",
    description: "Try a variant or prompt version on your inputs or dataset items, through the gateway, side by side.",
  },
  {
    href: "/functions",
    label: "Functions & Variants",
    description: "Gateway functions, their variants, and how each performs: latency, cost, errors, feedback.",
  },
  {
    href: "/usage",
    label: "Cost & usage",
    description: "Tokens, requests, cost, cache savings and errors by model, function, variant and day.",
  },
  {
    href: "/inferences",
    label: "Inferences",
    description: "Every inference through the gateway, with its model calls, timings and feedback.",
  },
  {
    href: "/traces",
    label: "Traces",
    description: "Traces from MLflow clients and OpenTelemetry exporters: span trees, sessions, tokens, cost and assessments.",
  },
  {
    href: "/labelling",
    label: "Labelling",
    description: "Queues of responses for reviewers to label; labels become feedback and datasets.",
  },
  {
    href: "/datasets",
    label: "Datasets",
    description: "Immutable, content-addressed dataset versions: from labels, inferences, uploads and promptfoo tests.",
  },
  {
    href: "/evaluations",
    label: "Evaluations",
    description: "Run functions over datasets, score them, compare runs and gate promotions.",
  },
  {
    href: "/lineage",
    label: "Lineage",
    description: "How datasets, runs, prompt and model versions, variants, inferences and labels connect.",
  },
] as const;

export type Section = (typeof SECTIONS)[number];

export function sectionFor(href: Section["href"]): Section {
  const found = SECTIONS.find((s) => s.href === href);
  if (!found) throw new Error(`unknown section ${href}`);
  return found;
}

/**
 * Account areas, shown only to those who may use them: API keys to every signed-in account (their
 * own keys; an admin sees all), users and the audit log to admins. The API enforces it regardless.
 */
export const ACCOUNT_SECTIONS = [
  {
    href: "/settings/keys",
    label: "API keys",
    description: "Keys for the gateway, the MLflow API and automation: each with a role or a scope, an optional expiry, revocable.",
    needs: "account",
  },
  { href: "/admin/users", label: "Users", description: "Accounts, their roles, and who is disabled.", needs: "admin" },
  {
    href: "/admin/audit",
    label: "Audit log",
    description: "Every change, who made it and when, with its before and after. Append-only.",
    needs: "admin",
  },
] as const;

export type AccountSection = (typeof ACCOUNT_SECTIONS)[number];

export function accountSectionFor(href: AccountSection["href"]): AccountSection {
  const found = ACCOUNT_SECTIONS.find((s) => s.href === href);
  if (!found) throw new Error(`unknown section ${href}`);
  return found;
}
