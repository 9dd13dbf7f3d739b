"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { datasetsApi } from "@/lib/datasets/api-client";
import { labellingApi } from "@/lib/labelling/api-client";
import { readableTime } from "@/lib/labelling/display";
import { queryKeys } from "@/lib/query/keys";

const when = readableTime;
const datasetHref = (name: string) => `/datasets/${encodeURIComponent(name)}`;

export function DatasetList() {
  const query = useQuery({ queryKey: queryKeys.datasets(), queryFn: datasetsApi.list });
  return (
    <QueryState query={query} errorTitle="Could not load the datasets">
      {(datasets) =>
        datasets.length === 0 ? (
          <EmptyState title="No datasets yet">
            <p>Upload a JSONL or CSV file, pick inferences in the inference browser, or save a labelling queue as a dataset.</p>
          </EmptyState>
        ) : (
          <Table caption="Datasets">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th className="text-right">Versions</Th>
                <Th className="text-right">Items (latest)</Th>
                <Th>Updated</Th>
              </Tr>
            </THead>
            <TBody>
              {datasets.map((d) => (
                <Tr key={d.name}>
                  <Td>
                    <Link className="font-medium hover:underline" href={datasetHref(d.name)}>
                      {d.name}
                    </Link>
                  </Td>
                  <Td numeric>{d.versions}</Td>
                  <Td numeric>{d.items}</Td>
                  <Td className="whitespace-nowrap">{when(d.updatedAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )
      }
    </QueryState>
  );
}

export function DatasetVersions({ name }: { name: string }) {
  const query = useQuery({ queryKey: queryKeys.dataset(name), queryFn: () => datasetsApi.versions(name) });
  // Versions saved from a labelling queue name it; the names come from the queues' own list.
  const fromQueues = query.data?.versions.some((v) => v.queueId) ?? false;
  const queues = useQuery({ queryKey: queryKeys.labellingQueues(), queryFn: labellingApi.queues, enabled: fromQueues });
  const queueName = (id: string) => queues.data?.find((q) => q.id === id)?.name;
  return (
    <QueryState query={query} errorTitle="Could not load the dataset">
      {(d) => (
        <Table caption={`Versions of ${d.name}`}>
          <THead>
            <Tr>
              <Th>Version</Th>
              <Th>Digest</Th>
              <Th className="text-right">Items</Th>
              <Th>Source</Th>
              <Th>Created</Th>
              <Th>MLflow dataset</Th>
            </Tr>
          </THead>
          <TBody>
            {d.versions.map((v) => (
              <Tr key={v.version}>
                <Td>
                  <Link className="font-medium hover:underline" href={`${datasetHref(d.name)}/versions/${v.version}`}>
                    v{v.version}
                  </Link>
                </Td>
                <Td className="font-mono text-xs">{v.digest}</Td>
                <Td numeric>{v.itemCount}</Td>
                <Td>
                  {v.queueId ? (
                    <Link className="hover:underline" href={`/labelling/${v.queueId}`}>
                      {queueName(v.queueId) ?? (queues.isPending ? "labelling queue" : `labelling queue ${v.queueId.slice(0, 8)}`)}
                    </Link>
                  ) : (
                    v.source.kind
                  )}
                </Td>
                <Td className="whitespace-nowrap">{when(v.createdAt)}</Td>
                <Td>
                  <Link
                    className="font-mono text-xs hover:underline"
                    href={`/lineage?node=${encodeURIComponent(`dataset:${v.mlflow.uuid}`)}`}
                  >
                    {v.mlflow.uuid.slice(0, 12)}…
                  </Link>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </QueryState>
  );
}
