import { inputMessages } from "@/lib/labelling/display";

/** An item's input as one readable text: its variables (`name: value` lines), else its last message. */
export function itemInputText(input: string): string {
  const messages = inputMessages(input);
  return messages.find((m) => m.role === "variables")?.text ?? messages.at(-1)?.text ?? input;
}
