/**
 * Lineage node kinds and how their ids are written, shared by the writers (tracking, gateway,
 * labelling) and by GET /api/lineage. A node is addressed as `kind:id`, e.g. `run:5f0c…`,
 * `prompt_version:summarize/3`, `variant:summarize/concise`.
 */
export const NODE_KINDS = [
  "experiment",
  "run",
  "dataset",
  "model_version",
  "logged_model",
  "prompt_version",
  "function",
  "variant",
  "inference",
  "queue",
  "label",
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export interface NodeRef {
  kind: NodeKind;
  id: string;
}

export const versionNodeId = (name: string, version: number | string) => `${name}/${version}`;
export const variantNodeId = (functionName: string, variantName: string) => `${functionName}/${variantName}`;
export const formatNode = (node: NodeRef) => `${node.kind}:${node.id}`;

const isNodeKind = (kind: string): kind is NodeKind => (NODE_KINDS as readonly string[]).includes(kind);

export function parseNode(text: string): NodeRef {
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon <= 0 || !id || !isNodeKind(kind)) {
    throw new Error(`"${text}" is not a lineage node; write KIND:ID with KIND one of ${NODE_KINDS.join(", ")}`);
  }
  return { kind, id };
}
