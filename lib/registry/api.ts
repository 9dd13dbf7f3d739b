import { z } from "zod";
import { fetchJson } from "@/lib/query/fetch-json";
import {
  type createRegisteredBody,
  type newPromptVersionBody,
  newPromptVersionReply,
  registeredChangeReply,
  registeredReply,
  registryListReply,
  type RegistryListState,
} from "./dashboard-schemas";

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

const jsonInit = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

export const postPromptVersion = (name: string, body: z.input<typeof newPromptVersionBody>) =>
  fetchJson(`/api/registered/${encodeURIComponent(name)}/versions`, newPromptVersionReply, { init: jsonInit("POST", body) });

export const postRegistered = (body: z.input<typeof createRegisteredBody>) =>
  fetchJson(`/api/registered`, registeredChangeReply, { init: jsonInit("POST", body) });

export const patchRegistered = (name: string, description: string) =>
  fetchJson(`/api/registered/${encodeURIComponent(name)}`, registeredChangeReply, { init: jsonInit("PATCH", { description }) });

export const deleteRegisteredModel = (name: string) =>
  fetchJson(`/api/registered/${encodeURIComponent(name)}`, registeredChangeReply, { init: jsonInit("DELETE") });
