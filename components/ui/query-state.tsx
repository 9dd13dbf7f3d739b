import type { ReactNode } from "react";
import { ErrorState } from "./error-state";
import { Skeleton } from "./skeleton";

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Renders a query's loading and error states the same way everywhere, and its data otherwise. */
export function QueryState<T>({
  query,
  loading,
  errorTitle,
  children,
}: {
  query: QueryLike<T>;
  loading?: ReactNode;
  errorTitle?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.error) return <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined) return <>{loading ?? <Skeleton />}</>;
  return <>{children(query.data)}</>;
}
