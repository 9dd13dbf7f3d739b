/**
 * `npm run trials:shutdown -- --sigterm 20 --kill 5 [--clients 4] [--port N]`: the shutdown and
 * crash trials of lib/gateway/testing/trials.ts at full length; prints each trial and the totals,
 * and exits 1 if anything acknowledged was lost or written twice, or a process crashed.
 */
import { parseArgs } from "node:util";
import { runTrials } from "@/lib/gateway/testing/trials";

const { values } = parseArgs({
  options: {
    sigterm: { type: "string", default: "20" },
    kill: { type: "string", default: "5" },
    clients: { type: "string", default: "8" },
    port: { type: "string", default: "0" },
  },
});
const started = Date.now();
const report = await runTrials({
  sigterm: Number(values.sigterm),
  kill: Number(values.kill),
  clients: Number(values.clients),
  port: Number(values.port),
  log: (message) => console.log(message),
});
console.log(JSON.stringify(report, null, 2));
const { inferences: i, feedback: f } = report;
console.log(
  `\n${report.trials.length} trials in ${Math.round((Date.now() - started) / 1000)} s: ` +
    `inferences ${i.acknowledged} acknowledged, ${i.lost} lost, ${i.duplicates} duplicated; ` +
    `feedback ${f.acknowledged} acknowledged, ${f.lost} lost, ${f.duplicates} duplicated; ` +
    `${report.replayed} rows replayed from spools; ${report.crashes} crashes`,
);
process.exit(i.lost + f.lost + i.duplicates + f.duplicates + report.crashes > 0 ? 1 : 0);
