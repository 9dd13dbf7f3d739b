// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useDebouncedCommit } from "./use-debounced";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function SearchBox({ commit }: { commit: (q: string) => void }) {
  const [text, setText, flush] = useDebouncedCommit("", commit);
  return <input aria-label="Search" value={text} onChange={(e) => setText(e.target.value)} onBlur={flush} />;
}

describe("useDebouncedCommit", () => {
  it("commits once typing pauses, with the last text", async () => {
    const commit = vi.fn();
    render(<SearchBox commit={commit} />);
    const input = screen.getByLabelText("Search");
    fireEvent.change(input, { target: { value: "a" } });
    await act(async () => {
      vi.advanceTimersByTime(200);
    });
    fireEvent.change(input, { target: { value: "ab" } });
    await act(async () => {
      vi.advanceTimersByTime(200);
    });
    expect(commit).not.toHaveBeenCalled();
    await act(async () => {
      vi.advanceTimersByTime(150);
    });
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenLastCalledWith("ab");
  });

  it("commits at once on blur, and not again when the delay would have run out", async () => {
    const commit = vi.fn();
    render(<SearchBox commit={commit} />);
    const input = screen.getByLabelText("Search");
    fireEvent.change(input, { target: { value: "exp" } });
    fireEvent.blur(input);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenLastCalledWith("exp");
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(commit).toHaveBeenCalledTimes(1);
    fireEvent.blur(input);
    expect(commit).toHaveBeenCalledTimes(1);
  });
});
