"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Kbd } from "@/components/ui/kbd";
import { Skeleton } from "@/components/ui/skeleton";
import { useCaller } from "@/lib/accounts/use-caller";
import { labellingApi } from "@/lib/labelling/api-client";
import type { LabelField, LabelValue, NextResponse, ReviewItem } from "@/lib/labelling/schemas";
import { ItemPanel } from "./item-panel";
import { ProgressBar } from "./progress-bar";
import { ReviewerNameForm } from "./reviewer-name";

interface Props {
  queue: { id: string; name: string; fields: LabelField[]; blind: boolean; description?: string };
  /** With auth off only: the name the reviewer gave before (kept in a cookie). */
  namedReviewer?: string;
}

/**
 * The labelling screen: one item at a time, labelled as the signed-in account (the server records
 * the caller; nobody can label in another's name). With auth off there are no accounts, so the
 * reviewer names themself once, as before.
 */
export function ReviewScreen({ queue, namedReviewer }: Props) {
  const me = useCaller().data;
  const open = me?.caller.kind === "open";
  const [freeName, setFreeName] = useState(namedReviewer);
  const reviewer = !me ? undefined : open ? freeName : me.caller.name;
  const [latest, setLatest] = useState<NextResponse>();
  const [viewing, setViewing] = useState<ReviewItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  // The first item comes from a query (the claim it takes is returned again if asked twice).
  const first = useQuery({
    queryKey: ["labelling", "next", queue.id, reviewer],
    queryFn: () => labellingApi.next(queue.id),
    enabled: Boolean(reviewer),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const current = latest ?? first.data;
  const shown = viewing ?? current?.item ?? null;

  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);

  const show = useCallback((next: NextResponse) => {
    setLatest(next);
    setViewing(null);
  }, []);
  const resume = useCallback(() => void run(async () => show(await labellingApi.next(queue.id))), [run, show, queue.id]);
  const submit = useCallback(
    (values: Record<string, LabelValue>) => {
      if (shown) void run(async () => show(await labellingApi.submit(queue.id, shown.claimId, values)));
    },
    [shown, run, show, queue.id],
  );
  const skip = useCallback(() => {
    if (shown) void run(async () => show(await labellingApi.skip(queue.id, shown.claimId)));
  }, [shown, run, show, queue.id]);
  const back = useCallback(
    () =>
      void run(async () => {
        const { item } = await labellingApi.previous(queue.id, viewing?.claimId);
        if (item) setViewing(item);
        else setNotice("No earlier item: you have not labelled one before this.");
      }),
    [run, queue.id, viewing],
  );

  if (!me) return <Skeleton />;
  if (!reviewer) {
    return (
      <ReviewerNameForm
        onDone={(name) => {
          // A new reviewer starts from their own current item, not the previous reviewer's.
          setLatest(undefined);
          setViewing(null);
          setFreeName(name);
        }}
      />
    );
  }
  const failure = error ?? first.error;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground">
          Labelling as <strong className="text-foreground">{reviewer}</strong>
          {open ? (
            <>
              {" "}
              <button type="button" className="underline" onClick={() => setFreeName(undefined)}>
                change
              </button>
            </>
          ) : null}
        </p>
        {current ? <ProgressBar progress={current.progress} /> : null}
      </div>
      {failure ? <ErrorState title="That did not work" error={failure} onRetry={resume} /> : null}
      {notice ? (
        <p role="status" className="text-sm text-muted-foreground">
          {notice}
        </p>
      ) : null}
      {!current && !failure ? <Skeleton /> : null}
      {current && !shown ? (
        <EmptyState title="Nothing left for you in this queue">
          <p>
            Every item is labelled, or being labelled by someone else.{" "}
            <Link className="underline" href={`/labelling/${queue.id}`}>
              See the queue&apos;s progress
            </Link>
            , or go back over your labels with <Kbd>B</Kbd>.
          </p>
          <BackKey onBack={back} />
        </EmptyState>
      ) : null}
      {shown ? (
        <ItemPanel
          key={`${shown.claimId}-${viewing ? "back" : "current"}`}
          item={shown}
          fields={queue.fields}
          blind={queue.blind}
          instructions={queue.description}
          revisiting={Boolean(viewing)}
          busy={busy}
          onSubmit={submit}
          onSkip={skip}
          onBack={back}
          onResume={resume}
        />
      ) : null}
    </div>
  );
}

/** Keeps the Back key working when no item is shown. */
function BackKey({ onBack }: { onBack: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key.toLowerCase() === "b" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) onBack();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onBack]);
  return null;
}
