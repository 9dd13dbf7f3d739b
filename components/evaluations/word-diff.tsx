import { diffWords } from "diff";

/** `after` against `before`, word by word: removed words struck through, added ones highlighted. */
export function WordDiff({ before, after }: { before: string; after: string }) {
  return (
    <span className="whitespace-pre-wrap">
      {diffWords(before, after).map((part, i) =>
        part.added ? (
          <ins key={i} className="bg-success/20 no-underline">
            {part.value}
          </ins>
        ) : part.removed ? (
          <del key={i} className="bg-danger/15 text-muted-foreground">
            {part.value}
          </del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </span>
  );
}
