"use client";

import { Kbd } from "@/components/ui/kbd";
import { Textarea } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import type { LabelField, LabelValue } from "@/lib/labelling/schemas";
import { keyLabel, type Shortcuts } from "@/lib/labelling/shortcuts";

interface Props {
  fields: LabelField[];
  shortcuts: Shortcuts;
  values: Record<string, LabelValue>;
  onChange: (field: string, value: LabelValue | undefined) => void;
  /** Field key → message, shown beside the field (after a save was tried). */
  problems?: Record<string, string>;
}

/** The id of a text field's box, which its shortcut focuses. */
export const textBoxId = (field: string) => `label-field-${field}-input`;
const problemId = (field: string) => `label-field-${field}-problem`;

/** A star for required fields (read as "required"), "optional" for the others. */
function Requirement({ required }: { required: boolean }) {
  return required ? (
    <span className="text-danger" title="required">
      <span aria-hidden>*</span>
      <span className="sr-only">(required)</span>
    </span>
  ) : (
    <span className="text-xs font-normal text-muted-foreground">optional</span>
  );
}

function Problem({ field, text }: { field: string; text: string | undefined }) {
  return text ? (
    <span id={problemId(field)} className="text-xs font-medium text-danger">
      {text}
    </span>
  ) : null;
}

/** One control per label field, each choice showing its shortcut key. */

export function LabelControls({ fields, shortcuts, values, onChange, problems = {} }: Props) {
  return (
    <div className="flex flex-col gap-4">
      {fields.map((field) => {
        const keys = shortcuts.byField.get(field.key);
        const labelId = `label-field-${field.key}`;
        const problem = problems[field.key];
        if (field.type === "comment" || field.type === "correction") {
          return (
            <div key={field.key} className="flex flex-col gap-1">
              <label htmlFor={textBoxId(field.key)} className="flex items-center gap-2 text-sm font-medium">
                {field.label}
                <Requirement required={field.required} />
                {keys?.focus ? <Kbd>{keyLabel(keys.focus)}</Kbd> : null}
                <span className="text-xs font-normal text-muted-foreground">
                  {field.type === "correction" ? "the answer it should have given · " : ""}
                  <Kbd>Esc</Kbd> to leave, <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> to save
                </span>
              </label>
              <Problem field={field.key} text={problem} />
              <Textarea
                id={textBoxId(field.key)}
                aria-required={field.required}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? problemId(field.key) : undefined}
                rows={field.type === "correction" ? 5 : 2}
                value={typeof values[field.key] === "string" ? String(values[field.key]) : ""}
                onChange={(e) => onChange(field.key, e.target.value)}
              />
            </div>
          );
        }
        return (
          <div
            key={field.key}
            role="radiogroup"
            aria-labelledby={labelId}
            aria-required={field.required}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId(field.key) : undefined}
            className="flex flex-col gap-1.5"
          >
            <span id={labelId} className="flex items-center gap-2 text-sm font-medium">
              {field.label}
              <Requirement required={field.required} />
              <Problem field={field.key} text={problem} />
            </span>
            <div className="flex flex-wrap gap-2">
              {(keys?.choices ?? []).map((choice) => {
                const selected = values[field.key] === choice.value;
                return (
                  <button
                    key={String(choice.value)}
                    type="button"
                    role="radio"
                    aria-checked={selected}
                    onClick={() => onChange(field.key, selected ? undefined : choice.value)}
                    className={cn(
                      "inline-flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm",
                      selected ? "border-primary bg-primary text-primary-foreground" : "border-border bg-card hover:bg-muted",
                      problem && !selected ? "border-danger" : null,
                    )}
                  >
                    {choice.key ? <Kbd>{keyLabel(choice.key)}</Kbd> : null}
                    {choice.label}
                  </button>
                );
              })}
            </div>
          </div>
        );
      })}
    </div>
  );
}
