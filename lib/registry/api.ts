import { z } from "zod";
import { fetchJson } from "@/lib/query/fetch-json";
import { registeredReply, registryListReply, type RegistryListState } from "./dashboard-schemas";

/** Browser-side fetchers of the registry pages' JSON routes. */
export const fetchRegistryList = (state: RegistryListState) =>
  fetchJson(`/api/registered?${new URLSearchParams(state).toString()}`, registryListReply);

export const fetchRegistered = (name: string) => fetchJson(`/api/registered/${encodeURIComponent(name)}`, registeredReply);

const aliasesReply = z.object({ aliases: z.array(z.object({ alias: z.string(), version: z.number() })) });

export const postAliasMove = (name: string, alias: string, version: number, override?: { reason: string }) =>
  fetchJson(`/api/registered/${encodeURIComponent(name)}/aliases`, aliasesReply, {
    init: {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ alias, version, ...(override ? { override: true, reason: override.reason } : {}) }),
    },
  });
