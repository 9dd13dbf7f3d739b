"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { healthSchema, type StoreHealth } from "@/lib/stores/schemas";

// Admins get the whole report; everyone else only whether the stores are up (issue 14).
const healthReply = z.union([healthSchema, z.object({ status: healthSchema.shape.status })]);

export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health(),
    // 503 still carries a health report saying which store is down.
    queryFn: () => fetchJson("/api/health", healthReply, { acceptStatuses: [503] }),
    refetchInterval: 30_000,
  });
}

function Fact({ label, value, mono }: { label: string; value: string | undefined; mono?: boolean }) {
  if (!value) return null;
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className={mono ? "break-all font-mono text-xs" : undefined}>{value}</dd>
    </>
  );
}

function StoreCard({ title, store }: { title: string; store: StoreHealth }) {
  return (
    <Card aria-label={`${title} status`}>
      <div className="flex items-center justify-between gap-2">
        <CardTitle>{title}</CardTitle>
        <Badge tone={store.ok ? "success" : "danger"}>{store.ok ? "healthy" : "unavailable"}</Badge>
      </div>
      <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <Fact label="Engine" value={store.engine && `${store.engine} (${store.kind})`} />
        <Fact label="Version" value={store.version} mono />
        <Fact
          label="Migrations"
          value={
            store.migrations &&
            `${store.migrations.applied} of ${store.migrations.known} applied` +
              (store.migrations.latest ? ` · latest ${store.migrations.latest}` : "")
          }
        />
        <Fact label="Location" value={store.location} mono />
        <Fact label="Answered in" value={store.latencyMs === undefined ? undefined : `${store.latencyMs} ms`} />
      </dl>
      {store.error ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {store.error}
        </p>
      ) : null}
    </Card>
  );
}

export function StoreStatus() {
  const { data, error, isPending } = useHealth();
  if (isPending) return <p className="text-sm text-muted-foreground">Checking the stores…</p>;
  if (error) {
    return (
      <p role="alert" className="text-sm text-danger">
        Could not read the health report: {error.message}
      </p>
    );
  }
  const badge = (
    <Badge tone={data.status === "ok" ? "success" : "danger"}>
      {data.status === "ok" ? "All stores healthy" : "A store is unavailable"}
    </Badge>
  );
  if (!("stores" in data)) {
    return (
      <p className="mb-4 text-sm">
        {badge}
        <span className="ml-3 text-muted-foreground">Each store&apos;s engine, location and migrations are shown to admins.</span>
      </p>
    );
  }
  return (
    <div>
      <p className="mb-4 text-sm">
        {badge}
        <span className="ml-3 text-muted-foreground">
          llmops {data.app.version} · up {data.app.uptimeSeconds} s
        </span>
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <StoreCard title="Postgres" store={data.stores.postgres} />
        <StoreCard title="ClickHouse" store={data.stores.clickhouse} />
      </div>
    </div>
  );
}
