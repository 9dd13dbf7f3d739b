"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { cn } from "@/components/ui/cn";
import { fetchArtifacts } from "@/lib/experiments/api";
import { artifactsState, type ArtifactEntry, type ArtifactRoot } from "@/lib/experiments/artifacts";
import { formatBytes } from "@/lib/experiments/format";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { FilePreview, ModelPreview } from "./artifact-preview";

const parentOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

function useFolder(runId: string, root: string, folder: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.runArtifacts(runId, root, folder), queryFn: () => fetchArtifacts(runId, root, folder), enabled });
}

interface TreeProps {
  runId: string;
  root: string;
  selected: string;
  onSelect: (path: string) => void;
}

function Entries({ runId, root, folder, selected, onSelect, depth }: TreeProps & { folder: string; depth: number }) {
  const listing = useFolder(runId, root, folder);
  if (listing.isPending)
    return (
      <p className="py-1 text-xs text-muted-foreground" style={{ paddingLeft: `${depth}rem` }}>
        Loading…
      </p>
    );
  if (listing.isError) return <p className="text-xs text-destructive">{listing.error.message}</p>;
  if (listing.data.entries.length === 0 && depth === 0) return null;
  return (
    <ul role={depth === 0 ? "tree" : "group"} aria-label={depth === 0 ? "Artifact files" : undefined}>
      {listing.data.entries.map((entry) => (
        <Node key={entry.path} entry={entry} runId={runId} root={root} selected={selected} onSelect={onSelect} depth={depth} />
      ))}
    </ul>
  );
}

function Node({ entry, depth, ...tree }: TreeProps & { entry: ArtifactEntry; depth: number }) {
  const [open, setOpen] = useState(tree.selected.startsWith(`${entry.path}/`));
  const active = tree.selected === entry.path;
  return (
    <li role="treeitem" aria-expanded={entry.isDir ? open : undefined} aria-selected={active}>
      <button
        type="button"
        className={cn(
          "flex w-full items-center gap-1 rounded px-1 py-0.5 text-left text-sm hover:bg-muted",
          active && "bg-muted font-medium",
        )}
        style={{ paddingLeft: `${depth + 0.25}rem` }}
        onClick={() => {
          if (entry.isDir) setOpen(!open || !active);
          tree.onSelect(entry.path);
        }}
      >
        <span aria-hidden className="w-4 text-muted-foreground">
          {entry.isDir ? (open ? "▾" : "▸") : ""}
        </span>
        <span className="truncate font-mono text-xs">{entry.name}</span>
        {entry.size !== undefined ? (
          <span className="ml-auto shrink-0 text-[11px] text-muted-foreground">{formatBytes(entry.size)}</span>
        ) : null}
      </button>
      {entry.isDir && open ? <Entries {...tree} folder={entry.path} depth={depth + 1} /> : null}
    </li>
  );
}

/** What the right pane shows: a file's preview, a model folder's summary, or a hint. */
function Selection({ runId, root, path }: { runId: string; root: ArtifactRoot; path: string }) {
  const parent = useFolder(runId, root.id, parentOf(path), path !== "");
  const entry = path === "" ? undefined : parent.data?.entries.find((e) => e.path === path);
  const isFolder = path === "" || entry?.isDir === true;
  const folder = useFolder(runId, root.id, path, isFolder);
  if (!root.downloadBase) {
    return <EmptyState title="These artifacts are stored elsewhere">They live at {root.uri}, which this server does not hold.</EmptyState>;
  }
  if (path !== "" && parent.data && !entry) return <EmptyState title={`Nothing at ${path}`} />;
  if (entry && !entry.isDir) return <FilePreview downloadBase={root.downloadBase} path={path} size={entry.size} />;
  const names = new Set(folder.data?.entries.map((e) => e.name));
  if (names.has("MLmodel"))
    return <ModelPreview downloadBase={root.downloadBase} folder={path} hasRequirements={names.has("requirements.txt")} />;
  return <p className="text-sm text-muted-foreground">Select a file to preview it.</p>;
}

/** The run page's Artifacts tab: the run's files and each logged model's, as a tree with previews. */
export function ArtifactsTab({ runId }: { runId: string }) {
  const [state, update] = useSearchState(artifactsState, { shallow: true });
  const top = useFolder(runId, state.root, "");
  return (
    <QueryState query={top} errorTitle="Could not list the artifacts">
      {(data) => {
        const root = data.roots.find((r) => r.id === data.root);
        if (!root) return null;
        const empty = data.entries.length === 0;
        return (
          <div className="space-y-3">
            {data.roots.length > 1 ? (
              <div role="group" aria-label="Artifact roots" className="flex flex-wrap gap-2">
                {data.roots.map((r) => (
                  <button
                    key={r.id}
                    type="button"
                    aria-pressed={r.id === root.id}
                    className={cn(
                      "rounded-md border border-border px-2 py-1 text-sm",
                      r.id === root.id ? "bg-muted font-medium" : "hover:bg-muted",
                    )}
                    onClick={() => update({ root: r.id === "run" ? null : r.id, path: null })}
                  >
                    {r.label}
                  </button>
                ))}
              </div>
            ) : null}
            <p className="text-xs text-muted-foreground">
              <code className="break-all">{root.uri}</code>
            </p>
            {empty ? (
              <EmptyState title={root.id === "run" ? "This run logged no artifacts" : "This model has no files yet"}>
                <p>
                  Log files with <code>mlflow.log_artifact(path)</code>, <code>mlflow.log_dict(...)</code> or a flavor&apos;s{" "}
                  <code>log_model</code>.
                </p>
              </EmptyState>
            ) : (
              <div className="grid gap-4 lg:grid-cols-[minmax(14rem,1fr)_3fr]">
                <nav aria-label="Artifact tree" className="max-h-[36rem] overflow-auto rounded-lg border border-border p-2">
                  <Entries
                    runId={runId}
                    root={root.id}
                    folder=""
                    depth={0}
                    selected={state.path}
                    onSelect={(path) => update({ path: path || null })}
                  />
                </nav>
                <div className="min-w-0">
                  <Selection runId={runId} root={root} path={state.path} />
                </div>
              </div>
            )}
          </div>
        );
      }}
    </QueryState>
  );
}
