// app.js is the page of one app. It loads what the API says of the app
// every few seconds and hands each part to the module that draws it:
//
//   processes.js  replicas and the scale form     GET .../ps (in the app), POST .../scale
//   releases.js   the release history, rollback   GET .../releases, POST .../rollback
//   metrics.js    live charts                     GET .../metrics, polled
//   logs.js       live logs                       GET .../logs?follow=true, streamed
//   events.js     deploys, scaling, health        GET .../events?follow=true, streamed
//   config.js     config vars, secret names       GET .../config, .../secrets, PATCH .../config
//
// Domains are drawn here.

import { appPath, get, missing } from "./api.js";
import { field, h, view } from "./dom.js";
import { appStatus, desired } from "./apps.js";
import { drawProcesses, setUpScaleForm } from "./processes.js";
import { drawReleases, setUpRollback } from "./releases.js";
import { drawConfig, setUpConfig } from "./config.js";
import { watchMetrics } from "./metrics.js";
import { followLogs } from "./logs.js";
import { followEvents } from "./events.js";

const refreshEvery = 5000; // milliseconds

export async function showApp(main, name, signal) {
  const page = view("app");
  page.querySelector(".app-name").textContent = name;
  document.title = `${name} · Shibafu`;
  main.replaceChildren(page);

  // refresh loads the app's state and redraws it. Changes (scale,
  // rollback, config) call it as soon as they end, besides the timer.
  const refresh = async () => {
    const [app, releases, config, secrets, domains] = await Promise.all([
      get(appPath(name), { signal }),
      get(appPath(name, "/releases"), { signal }),
      get(appPath(name, "/config"), { signal }),
      get(appPath(name, "/secrets"), { signal }),
      // A server without TLS support has no such route: then the app's
      // own list of names, without certificates, has to do.
      get(appPath(name, "/domains"), { signal }).catch((err) => {
        if (missing(err)) return null;
        throw err;
      }),
    ]);
    drawOverview(main, app, releases);
    drawProcesses(main, app, releases);
    drawReleases(main, app, releases);
    drawConfig(main, config, secrets);
    drawDomains(main, domains || namesOnly(app));
  };

  await refresh();
  setUpScaleForm(main, name, refresh);
  setUpRollback(main, name, refresh);
  setUpConfig(main, name, refresh);
  watchMetrics(main, name, signal);
  followLogs(main, name, signal);
  followEvents(main, name, signal);

  const timer = setInterval(() => refresh().catch(() => {}), refreshEvery);
  signal.addEventListener("abort", () => {
    clearInterval(timer);
    document.title = "Shibafu";
  });
}

function drawOverview(main, app, releases) {
  const status = appStatus(app);
  const badge = field(main, "status");
  badge.textContent = status.text;
  badge.className = `badge ${status.tone}`;
  const url = field(main, "url");
  url.href = app.url;
  url.textContent = app.url;

  const current = releases.find((r) => r.number === app.release);
  const parts = [app.release ? `Release v${app.release}` : "Not deployed yet"];
  if (current) parts.push(current.description);
  parts.push(`${desired(app)} replicas wanted`);
  field(main, "summary").textContent = parts.join(" · ");
}

// drawDomains lists the host names the router serves the app at, with
// the state of each one's TLS certificate, as GET .../domains answers:
// [{name, default, status, issuer, notAfter, next, error}]. status is
// "none", "self-signed", "pending", "issued" or "failed".
function drawDomains(main, domains) {
  const tbody = main.querySelector("table.domains tbody");
  tbody.replaceChildren(...domains.map((d) => h("tr", {},
    h("th", { scope: "row" }, d.name,
      d.default ? h("span", { class: "hint" }, " (default)") : null),
    h("td", {}, certificate(d)),
  )));
}

const certTones = { issued: "ok", "self-signed": "idle", pending: "warn", failed: "bad" };

// certificate says in a few words what serves a domain over HTTPS.
function certificate(d) {
  if (!d.status) return h("span", { class: "hint" }, "unknown");
  const details = [];
  if (d.issuer) details.push(`by ${d.issuer}`);
  if (d.notAfter) details.push(`until ${new Date(d.notAfter).toLocaleDateString()}`);
  if (d.error) details.push(d.error);
  return h("span", {},
    h("span", { class: `badge ${certTones[d.status] || "idle"}` }, d.status),
    details.length ? h("span", { class: "hint" }, ` ${details.join(", ")}`) : null);
}

// namesOnly makes the domains list out of an app, for a server that
// does not report certificates.
function namesOnly(app) {
  const names = [{ name: new URL(app.url).hostname, default: true }];
  return names.concat((app.domains || []).map((name) => ({ name })));
}
