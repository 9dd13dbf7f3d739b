import { formatValue } from "@/lib/charts/format";
import { decodeMetric, type MetricValue } from "./schemas";

/**
 * Times are shown in UTC with a fixed format, so the server's render and the browser's agree
 * (no hydration mismatch) and a shared link shows the same text to everyone.
 */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min, 3 d 4 h. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function runDuration(run: { startTime: number; endTime: number | null; status: string }): string {
  if (run.endTime === null) return run.status === "RUNNING" ? "running" : "—";
  return formatDuration(run.endTime - run.startTime);
}

export const formatMetric = (value: MetricValue | undefined) => formatValue(decodeMetric(value) ?? null);

/** Bytes as people read them (1,536 → "1.5 KB"), powers of 1024. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
