"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { Can } from "@/components/auth/can";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { accountsApi, auditUrl } from "@/lib/accounts/api-client";
import { auditFilters, type AuditEntry } from "@/lib/accounts/schemas";
import { formatAt, targetLabel } from "@/lib/accounts/view";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { AuditDiff } from "./audit-diff";
import { AuditFilterForm } from "./audit-filter-form";

/** Admins only: the audit log, newest first, filtered from the URL, paged by `before`. */
export function AuditView() {
  return (
    <Can permission="admin" fallback={<ErrorState title="Admins only" error="Only an admin can read the audit log." />}>
      <AuditLog />
    </Can>
  );
}

function AuditLog() {
  const [filters, setFilters] = useSearchState(auditFilters, { shallow: true });
  const page = useQuery({
    queryKey: queryKeys.audit(auditUrl(filters)),
    queryFn: () => accountsApi.audit(filters),
    placeholderData: keepPreviousData,
  });
  const [open, setOpen] = useState<AuditEntry["id"]>();

  return (
    <div className="flex flex-col gap-4">
      {/* Keyed by the filters, so the form shows a filter set from the table (or Back) too. */}
      <AuditFilterForm
        key={auditUrl({ ...filters, before: undefined })}
        filters={filters}
        onApply={(next) => setFilters({ ...next, before: undefined }, { push: true })}
      />
      <QueryState query={page} errorTitle="Could not load the audit log">
        {(data) =>
          data.entries.length === 0 ? (
            <EmptyState title={filters.before ? "No older entries" : "No entries match"}>
              Every change is recorded here: alias moves, versions, deletions and restores, queues, labels, datasets, keys, users and
              sign-ins.
            </EmptyState>
          ) : (
            <>
              <Table caption="Audit log">
                <THead>
                  <tr>
                    <Th>When (UTC)</Th>
                    <Th>Actor</Th>
                    <Th>Action</Th>
                    <Th>Target</Th>
                    <Th>Request</Th>
                    <Th>Address</Th>
                    <Th>
                      <span className="sr-only">Changes</span>
                    </Th>
                  </tr>
                </THead>
                <TBody>
                  {data.entries.map((entry) => {
                    const expanded = open === entry.id;
                    const changed = entry.before != null || entry.after != null;
                    return (
                      <Fragment key={entry.id}>
                        <Tr>
                          <Td className="whitespace-nowrap tabular-nums">{formatAt(entry.at, true)}</Td>
                          <Td>
                            <button
                              type="button"
                              className="text-left hover:underline"
                              title="Show only this actor's entries"
                              onClick={() => setFilters({ actor: entry.actor, before: undefined }, { push: true })}
                            >
                              {entry.actor}
                            </button>{" "}
                            <span className="text-xs text-muted-foreground">({entry.actor_kind})</span>
                          </Td>
                          <Td className="font-mono text-xs">{entry.action}</Td>
                          <Td className="break-all">{targetLabel(entry.target_kind, entry.target_id)}</Td>
                          <Td className="font-mono text-xs break-all">{entry.request_id ?? "—"}</Td>
                          <Td className="font-mono text-xs">{entry.ip || entry.address || "—"}</Td>
                          <Td>
                            {changed ? (
                              <Button size="sm" aria-expanded={expanded} onClick={() => setOpen(expanded ? undefined : entry.id)}>
                                {expanded ? "Hide changes" : "Changes"}
                              </Button>
                            ) : null}
                          </Td>
                        </Tr>
                        {expanded ? (
                          <tr>
                            <td colSpan={7} className="bg-muted/30 px-3 py-2">
                              <AuditDiff before={entry.before} after={entry.after} label={`${entry.action} ${entry.id}`} />
                            </td>
                          </tr>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </TBody>
              </Table>
              <nav aria-label="Audit pages" className="flex items-center gap-2">
                {filters.before ? (
                  <Button size="sm" onClick={() => setFilters({ before: undefined }, { push: true })}>
                    Newest
                  </Button>
                ) : null}
                <Button
                  size="sm"
                  disabled={data.next_before === null || page.isPlaceholderData}
                  onClick={() => data.next_before !== null && setFilters({ before: data.next_before }, { push: true })}
                >
                  Older
                </Button>
              </nav>
            </>
          )
        }
      </QueryState>
    </div>
  );
}
