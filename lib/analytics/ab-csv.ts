import type { AbReport, AbVariant } from "./ab-schema";

/** The A/B report as CSV (the page's Export CSV). */
const CSV_COLUMNS: (keyof AbVariant)[] = [
  "name",
  "isControl",
  "weight",
  "traffic",
  "n",
  "estimate",
  "ciLow",
  "ciHigh",
  "diff",
  "diffCiLow",
  "diffCiHigh",
  "lift",
  "liftCiLow",
  "liftCiHigh",
  "pValue",
  "sequentialPValue",
  "sequentialEstimate",
  "sequentialCiLow",
  "sequentialCiHigh",
  "decidedAt",
  "boundary",
  "z",
  "verdict",
  "verdictText",
  "morePerVariant",
  "clusters",
  "designEffect",
  "planningEffect",
  "mdeNow",
  "mdeHorizon",
  "horizonPerVariant",
  "neededPerVariant",
  "perDay",
  "expectedDays",
  "decisionProbability",
];

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-like text defused. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  // Spreadsheets run cells starting with = + - @ as formulas: prefix text (not numbers) with '.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The A/B table as CSV: one header, one row per variant, then the context as comment-free columns. */
export function abCsv(report: AbReport): string {
  const header = [
    "function",
    "metric",
    "metric_type",
    "optimize",
    "level",
    "control",
    "from",
    "to",
    ...CSV_COLUMNS,
    "design",
    "planned_looks",
    "allocation",
  ];
  const context = [
    report.functionName,
    report.metric.name,
    report.metric.type,
    report.metric.optimize,
    report.metric.level,
    report.control,
    new Date(report.from).toISOString(),
    new Date(report.to).toISOString(),
  ];
  const design = [report.design.kind, report.design.looks, report.allocation.kind];
  const lines = [header.map(csvField).join(",")];
  for (const v of report.variants) lines.push([...context, ...CSV_COLUMNS.map((c) => v[c]), ...design].map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
