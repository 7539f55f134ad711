// releases.js draws an app's release history, newest first, with a
// "Roll back" button on each earlier release that succeeded. The button
// asks first, in a <dialog>, then POSTs .../rollback {"release": N},
// which makes a new release that runs release N's image and config.

import { appPath } from "./api.js";
import { field, h, timeOf } from "./dom.js";
import { runChange } from "./change.js";

const tones = { succeeded: "ok", failed: "bad", pending: "warn" };

export function drawReleases(main, app, releases) {
  const newestFirst = [...releases].sort((a, b) => b.number - a.number);
  const tbody = main.querySelector("table.releases tbody");
  tbody.replaceChildren(...newestFirst.map((r) => releaseRow(app, r)));
  if (releases.length === 0) {
    tbody.replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "hint" }, "No releases yet.")));
  }
}

function releaseRow(app, r) {
  const current = r.number === app.release;
  const canRollBack = !current && r.status === "succeeded" && r.image;
  return h("tr", { class: current ? "current" : null, "aria-current": current ? "true" : null },
    h("th", { scope: "row" }, `v${r.number}`,
      current ? h("span", { class: "badge ok" }, "current") : null),
    h("td", { title: r.error || null },
      h("span", { class: `badge ${tones[r.status] || ""}` }, r.status)),
    h("td", {}, r.description),
    h("td", {}, r.user || "–"),
    h("td", {}, timeOf(r.created)),
    h("td", {}, canRollBack
      ? h("button", { type: "button", class: "quiet", "data-rollback": r.number,
        "aria-label": `Roll back to v${r.number}` }, "Roll back")
      : null),
  );
}

// setUpRollback handles every Roll back button of the table through one
// listener on the table, since the rows are redrawn every few seconds.
export function setUpRollback(main, app, refresh) {
  const dialog = main.querySelector("#rollback-dialog");
  const table = main.querySelector("table.releases");
  let target = 0;
  let opener = null;

  table.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-rollback]");
    if (!button) return;
    target = Number(button.dataset.rollback);
    opener = button;
    field(dialog, "rollback-text").textContent =
      `This makes a new release of ${app} that runs the image and config of v${target}. ` +
      "Traffic moves to it once its replicas are healthy.";
    dialog.showModal();
  });

  // The dialog's form has method="dialog": a button closes the dialog
  // and its value becomes dialog.returnValue.
  dialog.addEventListener("close", async () => {
    // The rows may have been redrawn meanwhile: find the button again.
    const back = table.querySelector(`button[data-rollback="${target}"]`) || opener;
    if (back && back.isConnected) back.focus();
    if (dialog.returnValue !== "confirm") return;
    dialog.returnValue = "";
    try {
      await runChange(main, `Rollback to v${target}`, appPath(app, "/rollback"),
        { release: target });
    } catch {
      // The output panel says what went wrong.
    } finally {
      await refresh();
    }
  });
}
