"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { datasetsApi } from "@/lib/datasets/api-client";

/** Inferences (ids from the inference browser) saved as a version, expecting their output or their demonstration. */
export function FromInferencesForm({ ids }: { ids: string[] }) {
  const [text, setText] = useState(ids.join("\n"));
  const [name, setName] = useState("");
  const [expected, setExpected] = useState<"output" | "demonstration">("output");
  const save = useMutation({ mutationFn: datasetsApi.fromInferences });
  const list = text.split(/[\s,]+/).filter(Boolean);
  return (
    <form
      className="grid max-w-2xl gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ name, inferenceIds: list, expected });
      }}
    >
      <Field label={`Inference ids (${list.length})`} hint="One per line; “Save as dataset” in the inference browser fills this in">
        {(props) => <Textarea {...props} rows={8} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <Field label="Expected output">
        {(props) => (
          <Select {...props} value={expected} onChange={(e) => setExpected(e.target.value as "output" | "demonstration")}>
            <option value="output">the inference's own output</option>
            <option value="demonstration">its corrected answer (demonstration); others are left out</option>
          </Select>
        )}
      </Field>
      <Field label="Dataset name">
        {(props) => <Input {...props} value={name} onChange={(e) => setName(e.target.value)} className="w-64" />}
      </Field>
      <div>
        <Button type="submit" variant="primary" disabled={!name || !list.length || save.isPending}>
          Save version
        </Button>
      </div>
      {save.error ? (
        <p role="alert" className="text-sm text-danger">
          {save.error.message}
        </p>
      ) : null}
      {save.data ? (
        <p role="status" className="text-sm">
          Saved{" "}
          <Link className="underline" href={`/datasets/${encodeURIComponent(save.data.name)}/versions/${save.data.version}`}>
            {save.data.name} v{save.data.version}
          </Link>{" "}
          ({save.data.itemCount} items)
        </p>
      ) : null}
    </form>
  );
}
