import { withCsrf } from "@/lib/query/fetch-json";
import { playgroundEvent, type PlaygroundEvent, type PlaygroundRunBody } from "@/lib/playground/schemas";

/**
 * Posts a playground run and hands each NDJSON event to `onEvent` as it arrives. A refusal before
 * the answer starts (bad input, unknown variant) comes back as the API's JSON error and becomes an
 * error event, so the column shows it in words.
 */
export async function streamRun(body: PlaygroundRunBody, onEvent: (e: PlaygroundEvent) => void, signal?: AbortSignal): Promise<void> {
  const res = await fetch(
    "/api/playground/run",
    withCsrf({
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/x-ndjson" },
      body: JSON.stringify(body),
      signal,
    }),
  );
  if (!res.ok || !res.body) {
    const error = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    onEvent({ type: "error", message: error?.error?.message ?? `${res.status} ${res.statusText}` });
    return;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onEvent(playgroundEvent.parse(JSON.parse(line)));
    }
  }
}
