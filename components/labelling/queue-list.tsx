"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { readableTime } from "@/lib/labelling/display";
import { labellingApi } from "@/lib/labelling/api-client";
import { queryKeys } from "@/lib/query/keys";

export function QueueList() {
  const query = useQuery({ queryKey: queryKeys.labellingQueues(), queryFn: labellingApi.queues });
  return (
    <QueryState query={query} errorTitle="Could not load the queues">
      {(queues) =>
        queues.length === 0 ? (
          <EmptyState title="No labelling queues yet">
            <p>
              <Link className="underline" href="/labelling/new">
                Create a queue
              </Link>{" "}
              from a filter over inferences or a random sample; reviewers label its items and the labels flow back as feedback.
            </p>
          </EmptyState>
        ) : (
          <>
            <p role="status" className="mb-3 text-sm text-muted-foreground">
              {queues.length} queue{queues.length === 1 ? "" : "s"} · {queues.reduce((s, q) => s + q.doneItems, 0)} of{" "}
              {queues.reduce((s, q) => s + q.itemCount, 0)} items done
            </p>
            <Table caption="Labelling queues">
              <THead>
                <Tr>
                  <Th>Name</Th>
                  <Th>Labels</Th>
                  <Th className="text-right">Items done</Th>
                  <Th className="text-right">Overlap</Th>
                  <Th>Reviewers</Th>
                  <Th>Created</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </Tr>
              </THead>
              <TBody>
                {queues.map((q) => (
                  <Tr key={q.id}>
                    <Td>
                      <Link className="font-medium underline-offset-2 hover:underline" href={`/labelling/${q.id}`}>
                        {q.name}
                      </Link>
                    </Td>
                    <Td>{q.fields.map((f) => f.label).join(", ")}</Td>
                    <Td numeric>
                      {q.doneItems} / {q.itemCount}
                    </Td>
                    <Td numeric>{q.overlap}</Td>
                    <Td>{q.reviewers.length ? q.reviewers.join(", ") : "open"}</Td>
                    <Td className="whitespace-nowrap">{readableTime(q.createdAt)}</Td>
                    <Td>
                      {q.doneItems < q.itemCount ? (
                        <Link className="text-primary hover:underline" href={`/labelling/${q.id}/review`} aria-label={`Label ${q.name}`}>
                          Label
                        </Link>
                      ) : (
                        <span className="text-muted-foreground">done</span>
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </>
        )
      }
    </QueryState>
  );
}
