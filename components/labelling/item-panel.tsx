"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";

import { Kbd } from "@/components/ui/kbd";
import { inputMessages, outputText, readableClickHouseTime } from "@/lib/labelling/display";
import type { LabelField, LabelValue, ReviewItem } from "@/lib/labelling/schemas";
import { NAV_KEYS, assignShortcuts } from "@/lib/labelling/shortcuts";
import { labelProblems } from "@/lib/labelling/values";
import { LabelControls, textBoxId } from "./label-controls";

interface Props {
  item: ReviewItem;
  fields: LabelField[];
  blind: boolean;
  /** The queue's instructions (its description), shown beside the item. */
  instructions?: string;
  /** True when the item was reached with Back (already labelled). */
  revisiting: boolean;
  busy: boolean;
  onSubmit: (values: Record<string, LabelValue>) => void;
  onSkip: () => void;
  onBack: () => void;
  onResume: () => void;
}

const isTextTarget = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT" || target.isContentEditable);

/** One item with its label controls; mounted per item (keyed by claim), so its values start fresh. */
export function ItemPanel({ item, fields, blind, instructions, revisiting, busy, onSubmit, onSkip, onBack, onResume }: Props) {
  const [values, setValues] = useState<Record<string, LabelValue>>(item.values);
  // Problems show only after a save was tried, and clear field by field as they are filled in.
  const [tried, setTried] = useState(false);
  const problems = useMemo(() => labelProblems(fields, values), [fields, values]);
  const save = useCallback(
    (current: Record<string, LabelValue>) => {
      setTried(true);
      if (labelProblems(fields, current).summary === undefined) onSubmit(current);
    },
    [fields, onSubmit],
  );
  const shortcuts = useMemo(() => assignShortcuts(fields), [fields]);
  const output = useMemo(() => outputText(item.output), [item.output]);
  const canSkip = item.status === "active";

  const setValue = useCallback((field: string, value: LabelValue | undefined) => {
    setValues((old) => {
      const next = { ...old };
      if (value === undefined) delete next[field];
      else next[field] = value;
      return next;
    });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.metaKey || busy) return;
      if (isTextTarget(event.target)) {
        if (event.key === NAV_KEYS.leaveText) (event.target as HTMLElement).blur();
        if (event.key === NAV_KEYS.submit && event.ctrlKey) {
          event.preventDefault();
          save(values);
        }
        return;
      }
      if (event.ctrlKey) return;
      if (event.key === NAV_KEYS.submit) {
        // Enter on a focused button or link keeps its own meaning.
        if (event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement) return;
        event.preventDefault();
        return save(values);
      }
      const key = event.key.toLowerCase();
      if (key === NAV_KEYS.skip) return canSkip ? onSkip() : undefined;
      if (key === NAV_KEYS.back) return onBack();
      const action = shortcuts.byKey.get(key);
      if (!action) return;
      event.preventDefault();
      if (action.type === "set") return setValue(action.field, action.value);
      const field = fields.find((f) => f.key === action.field);
      // A corrected answer starts from the output, which is usually close.
      if (field?.type === "correction" && !values[action.field]) setValue(action.field, output);
      document.getElementById(textBoxId(action.field))?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [busy, values, save, onSkip, onBack, canSkip, shortcuts, setValue, fields, output]);

  return (
    <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
      <Card aria-label="Item to label">
        <div className="mb-3 flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
          <span>Item {item.position + 1}</span>
          <span>· {item.functionName}</span>
          {item.variantName ? <Badge>variant {item.variantName}</Badge> : blind ? <Badge>variant hidden</Badge> : null}
          <span>· {readableClickHouseTime(item.inferenceTime)}</span>
          {revisiting ? <Badge tone="warning">already labelled: Enter saves your changes</Badge> : null}
        </div>
        <CardTitle className="mb-2 text-sm">Input</CardTitle>
        <div className="flex flex-col gap-2">
          {inputMessages(item.input).map((m, i) => (
            <div key={i}>
              <p className="mb-1 text-xs font-medium text-muted-foreground uppercase">{m.role}</p>
              <CodeBlock text={m.text} label={`${m.role} message`} maxHeight="14rem" />
            </div>
          ))}
        </div>
        <CardTitle className="mt-4 mb-2 text-sm">Output</CardTitle>
        <CodeBlock text={output} label="Output" />
      </Card>
      <Card aria-label="Labels">
        {instructions ? (
          <section aria-labelledby="queue-instructions" className="mb-4 rounded-md border border-border bg-muted/50 p-3 text-sm">
            <h2 id="queue-instructions" className="mb-1 text-xs font-medium text-muted-foreground uppercase">
              Instructions
            </h2>
            <p className="whitespace-pre-wrap">{instructions}</p>
          </section>
        ) : null}
        <p className="mb-3 text-xs text-muted-foreground">
          Fields marked <span aria-hidden>*</span>
          <span className="sr-only">required</span> are required.
        </p>
        <LabelControls fields={fields} shortcuts={shortcuts} values={values} onChange={setValue} problems={tried ? problems.byField : {}} />
        {tried && problems.summary ? (
          <p role="alert" className="mt-3 text-sm font-medium text-danger">
            {problems.summary} Nothing was saved.
          </p>
        ) : null}
        <div className="mt-5 flex flex-wrap gap-2">
          <Button variant="primary" onClick={() => save(values)} disabled={busy}>
            Save and next <Kbd>Enter</Kbd>
          </Button>
          <Button onClick={onSkip} disabled={busy || !canSkip}>
            Skip <Kbd>S</Kbd>
          </Button>
          <Button onClick={onBack} disabled={busy}>
            Back <Kbd>B</Kbd>
          </Button>
          {revisiting ? (
            <Button variant="ghost" onClick={onResume} disabled={busy}>
              Return to current item
            </Button>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
