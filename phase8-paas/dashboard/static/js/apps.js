// apps.js is the apps list: every app with its status, current release,
// replicas and URL, refreshed every few seconds.
//
// GET /v1/apps answers the apps without their containers, so the list
// then asks GET /v1/apps/NAME for each, which includes the replicas.

import { appPath, get } from "./api.js";
import { h, view } from "./dom.js";

const refreshEvery = 5000; // milliseconds

export async function showApps(main, signal) {
  main.replaceChildren(view("apps"));
  const tbody = main.querySelector("#apps-table tbody");
  const empty = main.querySelector(".empty");

  async function refresh() {
    const apps = await get("/v1/apps", { signal });
    const detailed = await Promise.all(
      apps.map((app) => get(appPath(app.name), { signal }).catch(() => app)),
    );
    empty.hidden = apps.length > 0;
    tbody.replaceChildren(...detailed.map(appRow));
  }

  main.querySelector('[data-action="refresh"]').addEventListener("click", refresh);
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), refreshEvery);
  signal.addEventListener("abort", () => clearInterval(timer));
}

function appRow(app) {
  const status = appStatus(app);
  return h("tr", {},
    h("th", { scope: "row" }, h("a", { href: `#/apps/${encodeURIComponent(app.name)}` }, app.name)),
    h("td", {}, h("span", { class: `badge ${status.tone}` }, status.text)),
    h("td", {}, app.release ? `v${app.release}` : "none"),
    h("td", { class: "num" }, replicaCount(app)),
    h("td", {}, h("a", { href: app.url, target: "_blank", rel: "noopener" }, app.url)),
  );
}

// desired adds up the replicas the app's formation asks for.
export function desired(app) {
  return Object.values(app.formation || {}).reduce((a, b) => a + b, 0);
}

function running(app) {
  return (app.replicas || []).filter((r) => r.state === "running").length;
}

function replicaCount(app) {
  return app.replicas ? `${running(app)} of ${desired(app)}` : `${desired(app)}`;
}

// appStatus sums up an app in a word, and a tone for its badge.
export function appStatus(app) {
  if (!app.release) return { text: "not deployed", tone: "idle" };
  const want = desired(app);
  if (want === 0) return { text: "scaled to zero", tone: "idle" };
  if (!app.replicas) return { text: "deployed", tone: "ok" };
  const up = running(app);
  if (up >= want) return { text: "running", tone: "ok" };
  if (up === 0) return { text: "down", tone: "bad" };
  return { text: "degraded", tone: "warn" };
}
