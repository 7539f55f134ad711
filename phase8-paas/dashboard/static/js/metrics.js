// metrics.js polls GET .../metrics every few seconds and draws four
// charts from its points: CPU, memory, request rate and latency, with
// the latest values as text, and a table of the replicas.
//
// The answer is {interval, points: [{time, cpuPercent, memoryBytes,
// requestsPerSec, errorsPerSec, p50Ms, p95Ms, p99Ms, ...}], replicas:
// [{name, process, cpuPercent, memoryBytes, restarts}]}. Polling is
// simpler than a stream here: each answer is the whole recent window.

import { appPath, get, missing } from "./api.js";
import { bytes, field, h } from "./dom.js";
import { lineChart } from "./charts.js";
import { sleep } from "./logs.js";

const pollEvery = 3000; // milliseconds

const percent = (v) => `${v.toFixed(v < 10 ? 1 : 0)} %`;
const perSecond = (v) => `${v.toFixed(v < 10 ? 1 : 0)}/s`;
const millis = (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

// charts says what each chart shows: its series, a tone (colour) each,
// and how to write its numbers.
const charts = [
  { title: "CPU", format: percent, series: [["cpuPercent", "all replicas", "a"]] },
  { title: "Memory", format: bytes, series: [["memoryBytes", "all replicas", "a"]] },
  { title: "Requests", format: perSecond,
    series: [["requestsPerSec", "requests", "a"], ["errorsPerSec", "errors", "c"]] },
  { title: "Latency", format: millis,
    series: [["p50Ms", "p50", "a"], ["p95Ms", "p95", "b"], ["p99Ms", "p99", "c"]] },
];

export async function watchMetrics(main, app, signal) {
  const box = main.querySelector(".charts");
  const note = field(main, "metrics-note");
  const table = h("table", { class: "replica-metrics" });
  box.after(h("div", { class: "table-scroll" }, table));

  while (!signal.aborted) {
    try {
      const m = await get(appPath(app, "/metrics"), { signal });
      const points = m.points || [];
      note.textContent = points.length ? "" : "No samples yet.";
      box.replaceChildren(...charts.map((c) => figure(c, points)));
      drawReplicas(table, m.replicas || []);
    } catch (err) {
      if (signal.aborted) return;
      if (missing(err)) {
        note.textContent = "This server does not report metrics.";
        return;
      }
      note.textContent = `Could not load metrics: ${err.message}`;
    }
    await sleep(pollEvery, signal);
  }
}

// figure is one chart with its title, its latest values in words and
// a legend. The SVG is hidden from screen readers; the words say it.
function figure(c, points) {
  const times = points.map((p) => p.time);
  const series = c.series.map(([key, label, tone]) => ({
    label, tone, values: points.map((p) => p[key] ?? 0),
  }));
  const { chart, scale } = lineChart(times, series, c.format);
  const latest = series.map((s) => h("span", { class: `legend ${s.tone}` },
    `${s.label} ${s.values.length ? c.format(s.values[s.values.length - 1]) : "–"}`));
  return h("figure", { class: "metric" },
    h("figcaption", {}, h("strong", {}, c.title), " ", ...latest),
    h("div", { class: "plot" }, scale, chart),
  );
}

function drawReplicas(table, replicas) {
  table.replaceChildren(
    h("caption", {}, "Per replica, now"),
    h("thead", {}, h("tr", {}, ...["Replica", "CPU", "Memory", "Restarts"]
      .map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, ...replicas.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.name),
      h("td", { class: "num" }, percent(r.cpuPercent || 0)),
      h("td", { class: "num" }, bytes(r.memoryBytes || 0)),
      h("td", { class: "num" }, String(r.restarts || 0)),
    ))),
  );
  table.hidden = replicas.length === 0;
}
