import { describe, expect, it } from "vitest";
import { inputMessages, outputText, readableClickHouseTime, readableTime } from "./display";

describe("what reviewers read", () => {
  it("shows messages with their roles, text parts joined", () => {
    const input = JSON.stringify({
      messages: [
        { role: "system", content: "Be brief" },
        { role: "user", content: [{ type: "text", text: "Hi" }, { type: "image_url" }] },
      ],
    });
    expect(inputMessages(input)).toEqual([
      { role: "system", text: "Be brief" },
      { role: "user", text: "Hi\n[image_url]" },
    ]);
  });

  it("shows a function's template variables, before any messages", () => {
    const input = JSON.stringify({ messages: [], variables: { customer: "Ada", ticket: "Refund please", n: 2 } });
    expect(inputMessages(input)).toEqual([{ role: "variables", text: "customer: Ada\nticket: Refund please\nn: 2" }]);
    const both = JSON.stringify({ messages: [{ role: "user", content: "And?" }], variables: { customer: "Ada" } });
    expect(inputMessages(both).map((m) => m.role)).toEqual(["variables", "user"]);
  });

  it("shows the answer's content, its tool calls, and raw text when a snapshot was cut short", () => {
    expect(outputText(JSON.stringify({ content: "Hello" }))).toBe("Hello");
    expect(outputText(JSON.stringify({ content: null, tool_calls: [{ id: "1" }] }))).toContain('"id": "1"');
    expect(outputText('{"content": "cut')).toBe('{"content": "cut');
    expect(inputMessages('{"messages": [')).toEqual([{ role: "input", text: '{"messages": [' }]);
  });
  it("shows the template variables of a native inference", () => {
    const input = JSON.stringify({ messages: [], variables: { ticket: "Slow pages", customer: { name: "Grace" } } });
    expect(inputMessages(input)).toEqual([{ role: "variables", text: 'ticket: Slow pages\ncustomer: {"name":"Grace"}' }]);
    expect(inputMessages(JSON.stringify({ messages: [] }))).toEqual([{ role: "input", text: '{"messages":[]}' }]);
  });
});

describe("readable times", () => {
  it("writes day, month and UTC time instead of ISO text", () => {
    expect(readableTime(Date.UTC(2026, 11, 5, 9, 7, 30))).toBe("5 Dec 2026, 09:07 UTC");
    expect(readableClickHouseTime("2026-11-01 10:00:00.000")).toBe("1 Nov 2026, 10:00 UTC");
    expect(readableClickHouseTime("yesterday")).toBe("yesterday");
    expect(readableTime(Number.NaN)).toBe("—");
  });
});
