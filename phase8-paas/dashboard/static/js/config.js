// config.js draws an app's config vars, each with an Unset button, and
// its secrets by name only; and it sets a var from the form below the
// list. Both send PATCH .../config ({"NAME": "value"} to set, {"NAME":
// null} to unset), which makes a release that runs with the new config,
// rolled out as a deploy is, its log shown as the change's output.
//
// Secrets are shown by name only: the API answers GET .../secrets with
// names unless asked to reveal them, and the dashboard never asks.

import { appPath } from "./api.js";
import { field, h } from "./dom.js";
import { runChange } from "./change.js";

export function drawConfig(main, config, secrets) {
  const vars = Object.entries(config || {}).sort(([a], [b]) => a.localeCompare(b));
  const dl = field(main, "config");
  dl.replaceChildren(...vars.flatMap(([k, v]) => [
    h("dt", {}, k),
    h("dd", {}, v,
      h("button", { type: "button", class: "quiet", "data-unset": k,
        "aria-label": `Unset ${k}` }, "Unset")),
  ]));
  if (vars.length === 0) dl.replaceChildren(h("p", { class: "hint" }, "None set."));

  const ul = field(main, "secrets");
  ul.replaceChildren(...secrets.map((s) => h("li", {}, h("code", {}, s))));
  if (secrets.length === 0) ul.replaceChildren(h("li", { class: "hint" }, "None set."));
}

// setUpConfig handles the form and, through one listener on the list
// (whose rows are redrawn every few seconds), every Unset button.
export function setUpConfig(main, app, refresh) {
  const form = main.querySelector("#config-form");
  const name = form.querySelector("#config-name");
  const value = form.querySelector("#config-value");

  const change = async (title, body, button) => {
    button.disabled = true;
    try {
      await runChange(main, title, appPath(app, "/config"), body, "PATCH");
      return true;
    } catch {
      return false; // the output panel says what went wrong
    } finally {
      button.disabled = false;
      await refresh();
    }
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    if (await change(`Set ${name.value}`, { [name.value]: value.value }, button)) {
      form.reset();
      name.focus();
    }
  });

  field(main, "config").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-unset]");
    if (button) change(`Unset ${button.dataset.unset}`, { [button.dataset.unset]: null }, button);
  });
}
