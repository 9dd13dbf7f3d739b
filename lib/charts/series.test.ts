import { describe, expect, it } from "vitest";
import { formatValue } from "./format";
import { MAX_LINE_POINTS, downsampleMinMax, forLogScale, seriesColor, smoothEma, niceStep, toChartData, yAxis, type Point } from "./series";

const pts = (...ys: (number | null)[]): Point[] => ys.map((y, x) => ({ x, y }));

describe("smoothEma", () => {
  it("leaves the series alone at weight 0", () => {
    const p = pts(1, 5, 2);
    expect(smoothEma(p, 0)).toBe(p);
  });

  it("is debiased: a constant series stays constant from the first point", () => {
    expect(smoothEma(pts(3, 3, 3, 3), 0.9).map((p) => p.y)).toEqual([3, 3, 3, 3].map(() => expect.closeTo(3, 10)));
  });

  it("matches a hand-computed EMA and keeps gaps as gaps", () => {
    // w = 0.5: raw EMA 0.5, 1.75, (gap), 2.375 → divided by 1 - 0.5^k: 1, 2.333…, null, 2.714…
    const out = smoothEma(pts(1, 3, null, 3), 0.5).map((p) => p.y);
    expect(out[0]).toBeCloseTo(1);
    expect(out[1]).toBeCloseTo(1.75 / 0.75);
    expect(out[2]).toBeNull();
    expect(out[3]).toBeCloseTo(2.375 / 0.875);
  });
});

describe("forLogScale", () => {
  it("turns non-positive values into gaps instead of clamping them", () => {
    expect(forLogScale(pts(1, 0, -2, 10)).map((p) => p.y)).toEqual([1, null, null, 10]);
  });
});

describe("downsampleMinMax", () => {
  it("keeps short series untouched", () => {
    const p = pts(1, 2, 3);
    expect(downsampleMinMax(p, 10)).toBe(p);
  });

  it("bounds the size and keeps every spike", () => {
    const long = Array.from({ length: 10_000 }, (_, x) => ({ x, y: Math.sin(x / 100) }));
    long[4321] = { x: 4321, y: 50 };
    long[7000] = { x: 7000, y: -50 };
    const out = downsampleMinMax(long, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out).toContainEqual({ x: 4321, y: 50 });
    expect(out).toContainEqual({ x: 7000, y: -50 });
    expect(out.map((p) => p.x)).toEqual([...out.map((p) => p.x)].sort((a, b) => a - b));
  });
});

describe("toChartData", () => {
  it("gives each line only its own points, so series need not share x values", () => {
    const { lines } = toChartData([
      {
        key: "a",
        label: "A",
        points: [
          { x: 1, y: 10 },
          { x: 3, y: 30 },
        ],
      },
      {
        key: "b.1",
        label: "B",
        points: [
          { x: 2, y: 2 },
          { x: 3, y: 3 },
        ],
      },
    ]);
    // One line per series: a series missing at another's x is bridged, not broken.
    expect(lines).toEqual([
      {
        dataKey: "s0_0",
        series: 0,
        label: "A",
        inLegend: true,
        points: 2,
        dots: true,
        data: [
          { x: 1, y: 10 },
          { x: 3, y: 30 },
        ],
      },
      {
        dataKey: "s1_0",
        series: 1,
        label: "B",
        inLegend: true,
        points: 2,
        dots: true,
        data: [
          { x: 2, y: 2 },
          { x: 3, y: 3 },
        ],
      },
    ]);
  });

  it("breaks a series at its own gaps (null or non-finite), keeping one legend entry", () => {
    const { lines } = toChartData([
      {
        key: "a",
        label: "A",
        points: [
          { x: 1, y: 1 },
          { x: 2, y: null },
          { x: 3, y: null },
          { x: 4, y: 4 },
          { x: 5, y: Number.NaN },
          { x: 6, y: 6 },
        ],
      },
    ]);
    expect(lines.map((l) => [l.dataKey, l.inLegend, l.data])).toEqual([
      ["s0_0", true, [{ x: 1, y: 1 }]],
      ["s0_1", false, [{ x: 4, y: 4 }]],
      ["s0_2", false, [{ x: 6, y: 6 }]],
    ]);
  });

  it("caps a dense stretch near the chart's pixel width, keeping its spikes", () => {
    const points = Array.from({ length: 20_000 }, (_, i) => ({ x: i, y: Math.sin(i / 100) }));
    points[7777] = { x: 7777, y: 50 };
    const [line] = toChartData([{ key: "d", label: "d", points }]).lines;
    expect(line?.points).toBe(20_000);
    expect(line?.data.length).toBeLessThanOrEqual(MAX_LINE_POINTS);
    expect(line?.data).toContainEqual({ x: 7777, y: 50 });
    expect(line?.data.at(-1)).toEqual({ x: 19_999, y: Math.sin(199.99) });
  });
});

describe("yAxis", () => {
  const s = (ys: (number | null)[]) => [{ key: "k", label: "k", points: pts(...ys) }];
  it("snaps to round ticks around the data without forcing zero", () => {
    expect(yAxis(s([90, 100]))).toEqual({ domain: [90, 100], ticks: [90, 92.5, 95, 97.5, 100] });
    expect(yAxis(s([91, 99.2]))?.ticks).toEqual([90, 92.5, 95, 97.5, 100]);
    expect(yAxis(s([3, 17]))?.ticks).toEqual([0, 5, 10, 15, 20]);
  });
  it("includes zero for counts when asked", () => {
    expect(yAxis(s([90, 100]), { includeZero: true })).toEqual({ domain: [0, 100], ticks: [0, 25, 50, 75, 100] });
  });
  it("never passes the bounds of a rate", () => {
    const axis = yAxis(s([0.417, 1]), { bounds: [0, 1] });
    expect(axis?.domain).toEqual([0.4, 1]);
    expect(axis?.ticks).toEqual([0.4, 0.6, 0.8, 1]);
    expect(yAxis(s([0.003, 0.02]), { bounds: [0, 1], includeZero: true })?.domain).toEqual([0, 0.02]);
  });
  it("widens a flat series and ignores gaps and infinities", () => {
    expect(yAxis(s([5, null, Infinity, 5]))?.domain).toEqual([4.6, 5.4]);
    expect(yAxis(s([0]))?.domain).toEqual([-1, 1]);
    expect(yAxis(s([null]))).toBeUndefined();
  });
});

describe("dots", () => {
  it("marks a value alone between gaps with a dot even in a dense series, and sparse series throughout", () => {
    const dense = Array.from({ length: 40 }, (_, i) => ({ x: i, y: i === 20 || i === 21 ? null : i }));
    dense[19] = { x: 19, y: null };
    // 0..18 | 19 null | 20, 21 null | 22..39: no lone value yet
    dense[30] = { x: 30, y: null };
    dense[32] = { x: 32, y: null };
    // 31 is now alone between the gaps at 30 and 32
    const { lines } = toChartData([{ key: "d", label: "d", points: dense }]);
    expect(lines.map((l) => [l.points, l.dots])).toEqual([
      [19, false],
      [8, false],
      [1, true],
      [7, false],
    ]);
    const sparse = toChartData([{ key: "s", label: "s", points: pts(1, 2, 3) }]);
    expect(sparse.lines[0]?.dots).toBe(true);
  });
});

describe("yAxis for counts", () => {
  const s = (ys: (number | null)[]) => [{ key: "k", label: "k", points: pts(...ys) }];
  it("has whole-number ticks only: 0, 1, 2 rather than 0, 0.5, 1, 1.5, 2", () => {
    expect(yAxis(s([0, 2]), { includeZero: true })?.ticks).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(yAxis(s([0, 2]), { includeZero: true, integer: true })?.ticks).toEqual([0, 1, 2]);
    expect(yAxis(s([1, 1]), { includeZero: true, integer: true })?.ticks).toEqual([0, 1]);
    expect(yAxis(s([0]), { includeZero: true, integer: true })?.ticks).toEqual([0, 1]);
    expect(yAxis(s([3, 9]), { includeZero: true, integer: true })?.ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(yAxis(s([0, 400]), { includeZero: true, integer: true })?.ticks).toEqual([0, 100, 200, 300, 400]);
  });
});

describe("niceStep", () => {
  it("rounds up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0.7, 1, 1.3, 2.2, 3, 7, 0.031].map(niceStep)).toEqual([1, 1, 2, 2.5, 5, 10, 0.05]);
  });
});

describe("formatValue", () => {
  it("formats by unit", () => {
    expect(formatValue(1234, "ms")).toBe("1.23 s");
    expect(formatValue(8.26, "ms")).toBe("8.3 ms");
    expect(formatValue(0.0312, "percent")).toBe("3.12%");
    expect(formatValue(0.5, "percent")).toBe("50.0%");
    expect(formatValue(0.00042, "usd")).toBe("$0.00042");
    expect([0, 0.0025, 0.005, 0.0075, 0.01, 0.0125, 0.5, 0.19, 12].map((v) => formatValue(v, "usd"))).toEqual([
      "$0.00",
      "$0.0025",
      "$0.0050",
      "$0.0075",
      "$0.01",
      "$0.0125",
      "$0.50",
      "$0.19",
      "$12.00",
    ]);
    expect(formatValue(12_345, "tokens")).toBe("12.3K");
    expect(formatValue(null)).toBe("—");
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(-Infinity)).toBe("−∞");
    expect(formatValue(1e-7)).toBe("1.00e-7");
  });
  it("uses the theme palette first, then distinct hues", () => {
    expect(seriesColor(0)).toBe("var(--chart-1)");
    expect(seriesColor(4)).toBe("var(--chart-5)");
    expect(seriesColor(5)).toBe("oklch(var(--chart-l) var(--chart-c) 15)");
    expect(seriesColor(9)).toBe("oklch(var(--chart-l) var(--chart-c) 297)");
    const colours = Array.from({ length: 100 }, (_, i) => seriesColor(i));
    expect(new Set(colours).size).toBe(100);
  });
});
