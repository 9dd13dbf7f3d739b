"use client";

import { useQuery } from "@tanstack/react-query";
import { CodeBlock } from "@/components/ui/code-block";
import { EmptyState } from "@/components/ui/empty-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { modelSummary, parseDelimited, previewKind, type SignatureColumn } from "@/lib/experiments/artifact-preview";
import { formatBytes } from "@/lib/experiments/format";

/** Previews read at most this much of a file (a Range request), so a 2 GB log opens at once. */
const PREVIEW_BYTES = 512 * 1024;
const MAX_TABLE_ROWS = 200;

export const fileUrl = (downloadBase: string, path: string) => `${downloadBase}/${path.split("/").map(encodeURIComponent).join("/")}`;

async function readStart(url: string): Promise<{ text: string; truncated: boolean; total: number }> {
  const res = await fetch(url, { headers: { range: `bytes=0-${PREVIEW_BYTES - 1}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  const text = await res.text();
  const total = Number(/\/(\d+)$/.exec(res.headers.get("content-range") ?? "")?.[1] ?? text.length);
  return { text, truncated: res.status === 206 && total > PREVIEW_BYTES, total };
}

function useFileText(url: string, enabled = true) {
  return useQuery({ queryKey: ["artifact-text", url], queryFn: () => readStart(url), enabled, staleTime: 60_000 });
}

function DelimitedTable({ text, delimiter, truncated, name }: { text: string; delimiter: "," | "\t"; truncated: boolean; name: string }) {
  const [header, ...rows] = parseDelimited(text, delimiter, MAX_TABLE_ROWS + 1, truncated);
  if (!header) return <EmptyState title="Empty file" />;
  return (
    <div className="max-h-[32rem] overflow-auto">
      <Table caption={`${name} (first ${rows.length} rows)`}>
        <THead>
          <tr>
            {header.map((h, i) => (
              <Th key={i}>{h}</Th>
            ))}
          </tr>
        </THead>
        <TBody>
          {rows.map((row, r) => (
            <Tr key={r}>
              {row.map((cell, c) => (
                <Td key={c} className="font-mono text-xs whitespace-nowrap">
                  {cell}
                </Td>
              ))}
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** One file's preview: an image, a table for CSV/TSV, formatted JSON, or text; anything else offers a download. */
export function FilePreview({ downloadBase, path, size }: { downloadBase: string; path: string; size?: number }) {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const kind = previewKind(name);
  const url = fileUrl(downloadBase, path);
  const text = useFileText(url, kind !== "image" && kind !== "binary");
  const header = (
    <div className="mb-2 flex items-center justify-between gap-2 text-sm">
      <span className="font-mono break-all">{path}</span>
      <a href={url} className="shrink-0 rounded-md border border-border px-2 py-1 hover:bg-muted" download={name}>
        Download{size !== undefined ? ` (${formatBytes(size)})` : ""}
      </a>
    </div>
  );
  if (kind === "image") {
    return (
      <div>
        {header}
        <img src={url} alt={name} className="max-h-[32rem] max-w-full rounded border border-border" />
      </div>
    );
  }
  if (kind === "binary") {
    return (
      <div>
        {header}
        <EmptyState title="No preview for this file type">Download it to open it.</EmptyState>
      </div>
    );
  }
  if (text.isPending) return <div>{header}Loading…</div>;
  if (text.isError)
    return (
      <div>
        {header}
        <p className="text-sm text-destructive">Could not read this file: {text.error.message}</p>
      </div>
    );
  const { text: body, truncated, total } = text.data;
  return (
    <div>
      {header}
      {truncated ? (
        <p className="mb-2 text-xs text-muted-foreground">
          Showing the first {formatBytes(PREVIEW_BYTES)} of {formatBytes(total)}.
        </p>
      ) : null}
      {kind === "csv" || kind === "tsv" ? (
        <DelimitedTable text={body} delimiter={kind === "csv" ? "," : "\t"} truncated={truncated} name={name} />
      ) : (
        <CodeBlock text={kind === "json" && !truncated ? pretty(body) : body} label={name} maxHeight="32rem" />
      )}
    </div>
  );
}

function ColumnsTable({ caption, columns }: { caption: string; columns: SignatureColumn[] }) {
  if (columns.length === 0) return null;
  return (
    <Table caption={caption}>
      <THead>
        <tr>
          <Th>Name</Th>
          <Th>Type</Th>
          <Th>Required</Th>
        </tr>
      </THead>
      <TBody>
        {columns.map((c) => (
          <Tr key={c.name}>
            <Td className="font-mono text-xs">{c.name}</Td>
            <Td className="font-mono text-xs">{c.type}</Td>
            <Td>{c.required ? "yes" : "no"}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

/** A folder holding an MLflow model: its flavors, signature and requirements, read from MLmodel and requirements.txt. */
export function ModelPreview({
  downloadBase,
  folder,
  hasRequirements,
}: {
  downloadBase: string;
  folder: string;
  hasRequirements: boolean;
}) {
  const prefix = folder ? `${folder}/` : "";
  const mlmodel = useFileText(fileUrl(downloadBase, `${prefix}MLmodel`));
  const requirements = useFileText(fileUrl(downloadBase, `${prefix}requirements.txt`), hasRequirements);
  const summary = mlmodel.data ? modelSummary(mlmodel.data.text) : undefined;
  return (
    <section aria-label="Model" className="space-y-4">
      <h3 className="text-sm font-semibold">MLflow model{folder ? ` · ${folder}` : ""}</h3>
      {mlmodel.isError ? <p className="text-sm text-destructive">Could not read MLmodel: {mlmodel.error.message}</p> : null}
      {summary ? (
        <>
          <p className="text-sm">
            Flavors: <span className="font-mono">{summary.flavors.join(", ") || "none"}</span>
            {summary.mlflowVersion ? <span className="text-muted-foreground"> · MLflow {summary.mlflowVersion}</span> : null}
          </p>
          {summary.inputs.length + summary.outputs.length === 0 ? (
            <p className="text-sm text-muted-foreground">No signature logged.</p>
          ) : null}
          <ColumnsTable caption="Signature inputs" columns={summary.inputs} />
          <ColumnsTable caption="Signature outputs" columns={summary.outputs} />
          <ColumnsTable caption="Signature params" columns={summary.params} />
        </>
      ) : mlmodel.data ? (
        <CodeBlock text={mlmodel.data.text} label="MLmodel" />
      ) : null}
      {hasRequirements && requirements.data ? (
        <div>
          <h4 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Requirements</h4>
          <CodeBlock text={requirements.data.text} label="requirements.txt" maxHeight="12rem" />
        </div>
      ) : null}
    </section>
  );
}
