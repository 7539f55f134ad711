// processes.js draws an app's running containers and the scale form:
// one row per process type with −, a number field and +, and a Scale
// button that sends every changed count in one POST .../scale.

import { appPath } from "./api.js";
import { h } from "./dom.js";
import { runChange } from "./change.js";

const maxReplicas = 20; // the API's limit, api.MaxReplicas

// drawProcesses fills the scale rows and the replicas table. A number
// the user is editing is left alone: a field is only updated while it
// still shows the count it was last given.
export function drawProcesses(main, app, releases) {
  const current = releases.find((r) => r.number === app.release);
  const types = new Set([
    ...Object.keys(app.formation || {}),
    ...Object.keys((current && current.processes) || {}),
  ]);
  const rows = main.querySelector(".scale-rows");
  for (const type of [...types].sort()) {
    const count = (app.formation || {})[type] || 0;
    let input = rows.querySelector(`input[data-process="${type}"]`);
    if (!input) {
      rows.append(scaleRow(type));
      input = rows.querySelector(`input[data-process="${type}"]`);
    }
    if (input.value === input.dataset.current) input.value = count;
    input.dataset.current = count;
  }

  const tbody = main.querySelector("table.replicas tbody");
  const replicas = app.replicas || [];
  tbody.replaceChildren(...replicas.map((r) => h("tr", {},
    h("th", { scope: "row" }, r.name),
    h("td", {}, h("span", { class: `badge ${r.state === "running" ? "ok" : "warn"}` }, r.state)),
    h("td", {}, `v${r.release}`),
    h("td", {}, r.ip || "–"),
  )));
  if (replicas.length === 0) {
    tbody.replaceChildren(h("tr", {}, h("td", { colspan: 4, class: "hint" }, "None running.")));
  }
}

// scaleRow is the label, −, number and + of one process type. The
// buttons say in words what they do, for screen readers.
function scaleRow(type) {
  const id = `scale-${type}`;
  const input = h("input", {
    id, type: "number", min: 0, max: maxReplicas, step: 1, inputmode: "numeric",
    "data-process": type, "data-current": "",
  });
  const step = (by) => () => {
    const n = Math.min(maxReplicas, Math.max(0, Number(input.value) + by));
    input.value = n;
  };
  return h("div", { class: "scale-row" },
    h("label", { for: id }, type),
    h("button", { type: "button", class: "quiet", "aria-label": `One fewer ${type}`,
      onclick: step(-1) }, "−"),
    input,
    h("button", { type: "button", class: "quiet", "aria-label": `One more ${type}`,
      onclick: step(+1) }, "+"),
  );
}

// setUpScaleForm sends the changed counts when the form is submitted,
// shows the rollout's log, and redraws the page when it is done.
export function setUpScaleForm(main, app, refresh) {
  const form = main.querySelector("#scale-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const change = {};
    for (const input of form.querySelectorAll("input[data-process]")) {
      if (input.value !== input.dataset.current) {
        change[input.dataset.process] = Number(input.value);
      }
    }
    if (Object.keys(change).length === 0) return;

    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    const words = Object.entries(change).map(([k, v]) => `${k}=${v}`).join(" ");
    try {
      await runChange(main, `Scale ${words}`, appPath(app, "/scale"), change);
    } catch {
      // The output panel says what went wrong.
    } finally {
      button.disabled = false;
      await refresh();
    }
  });
}
