"use client";

import { useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { datasetsApi } from "@/lib/datasets/api-client";
import { itemInputText } from "@/lib/datasets/display";
import { queryKeys } from "@/lib/query/keys";

/** Pick a dataset and fill the inputs from one of its items (the latest version's first 50). */
export function DatasetItems({
  dataset,
  onDataset,
  onUse,
}: {
  dataset: string;
  onDataset: (d: string) => void;
  onUse: (input: string) => void;
}) {
  const list = useQuery({ queryKey: queryKeys.datasets(), queryFn: datasetsApi.list });
  const chosen = list.data?.find((d) => d.name === dataset);
  const items = useQuery({
    queryKey: [...queryKeys.dataset(dataset), "latest-items", chosen?.latest],
    queryFn: () => datasetsApi.version(dataset, chosen!.latest),
    enabled: !!chosen,
  });
  return (
    <section aria-labelledby="dataset-items-heading" className="space-y-2 rounded-lg border border-border p-3">
      <h2 id="dataset-items-heading" className="text-sm font-semibold">
        Inputs from a dataset
      </h2>
      <Field label="Dataset">
        {(props) => (
          <Select {...props} value={dataset} onChange={(e) => onDataset(e.target.value)}>
            <option value="">none</option>
            {(list.data ?? []).map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} (v{d.latest}, {d.items} items)
              </option>
            ))}
          </Select>
        )}
      </Field>
      {items.data ? (
        <ul className="max-h-64 space-y-1 overflow-y-auto text-xs">
          {items.data.items.slice(0, 50).map((item) => (
            <li key={item.position} className="flex items-start gap-2">
              <Button size="sm" onClick={() => onUse(item.input)} aria-label={`Use item ${item.position + 1}`}>
                Use
              </Button>
              <span className="line-clamp-2 break-words">{itemInputText(item.input)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
