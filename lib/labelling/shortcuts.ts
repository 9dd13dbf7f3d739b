import type { LabelField, LabelValue } from "./schemas";

/**
 * Keyboard shortcuts of the labelling screen, assigned from the queue's fields so that every
 * label has a key and no two share one. Navigation keys are fixed: Enter saves and goes to the
 * next item, S skips, B goes back; Escape leaves a text box. Booleans take Y/N (then T/F), the
 * first score 1–5 (the second 6–0), categories a free letter (their initial when free), and text
 * fields a key that focuses them (C for the first comment, E for the first corrected answer).
 */

export const NAV_KEYS = { submit: "Enter", skip: "s", back: "b", leaveText: "Escape" } as const;

export type ShortcutAction = { type: "set"; field: string; value: LabelValue } | { type: "focus"; field: string };

export interface FieldShortcuts {
  /** For choice fields: one entry per value, with its key (null when none was free). */
  choices: { value: LabelValue; label: string; key: string | null }[];
  /** For text fields: the key that focuses the box. */
  focus: string | null;
}

export interface Shortcuts {
  byKey: Map<string, ShortcutAction>;
  byField: Map<string, FieldShortcuts>;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz".split("");

export function assignShortcuts(fields: LabelField[]): Shortcuts {
  const used = new Set<string>([NAV_KEYS.skip, NAV_KEYS.back]);
  const byKey = new Map<string, ShortcutAction>();
  const byField = new Map<string, FieldShortcuts>();
  const take = (preferred: string[]): string | null => {
    const key = [...preferred, ...LETTERS].find((k) => !used.has(k)) ?? null;
    if (key) used.add(key);
    return key;
  };
  const takeExactly = (keys: string[]): string[] | null =>
    keys.every((k) => !used.has(k)) ? (keys.forEach((k) => used.add(k)), keys) : null;

  // Text fields first claim C and E, so a category option starting with those letters moves aside.
  for (const field of fields) {
    if (field.type !== "comment" && field.type !== "correction") continue;
    const key = take([field.type === "comment" ? "c" : "e"]);
    byField.set(field.key, { choices: [], focus: key });
    if (key) byKey.set(key, { type: "focus", field: field.key });
  }
  for (const field of fields) {
    let choices: FieldShortcuts["choices"];
    if (field.type === "boolean") {
      const keys = takeExactly(["y", "n"]) ?? takeExactly(["t", "f"]) ?? [take([]), take([])];
      choices = [
        { value: true, label: "Yes", key: keys[0] ?? null },
        { value: false, label: "No", key: keys[1] ?? null },
      ];
    } else if (field.type === "score") {
      const keys = takeExactly(["1", "2", "3", "4", "5"]) ?? takeExactly(["6", "7", "8", "9", "0"]) ?? [1, 2, 3, 4, 5].map(() => take([]));
      choices = [1, 2, 3, 4, 5].map((score, i) => ({ value: score, label: String(score), key: keys[i] ?? null }));
    } else if (field.type === "category") {
      choices = (field.options ?? []).map((option) => ({ value: option, label: option, key: take([option.charAt(0).toLowerCase()]) }));
    } else {
      continue;
    }
    byField.set(field.key, { choices, focus: null });
    for (const c of choices) if (c.key) byKey.set(c.key, { type: "set", field: field.key, value: c.value });
  }
  return { byKey, byField };
}

/** Shown in the UI: "Y", "Enter", "1". */
export const keyLabel = (key: string) => (key.length === 1 ? key.toUpperCase() : key);
