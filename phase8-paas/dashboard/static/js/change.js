// change.js runs a change that makes a release (scale, rollback,
// config) and shows its progress.
//
// The API answers such a call with a stream of events, one JSON object
// per line: {"log": "..."} for each line of the rollout's log, then
// {"release": {...}} when the release serves, or {"error": "..."} if it
// failed. The lines go into the "Output of the last change" panel as
// they arrive; that panel is an aria-live log, so a screen reader reads
// them out too.

import { stream } from "./api.js";
import { announce } from "./dom.js";

// runChange sends body to path (POST, or method), shows the streamed
// log in the panel inside root, and returns the release made. It throws
// if the change failed; the panel says why.
export async function runChange(root, title, path, body, method = "POST") {
  const panel = root.querySelector("#change-log");
  const out = panel.querySelector("pre");
  panel.hidden = false;
  panel.querySelector("h2").textContent = title;
  out.textContent = "";
  const print = (text) => {
    out.textContent += text + "\n";
    out.scrollTop = out.scrollHeight;
  };

  let release = null;
  let failure = null;
  try {
    await stream(path, (ev) => {
      if (ev.log !== undefined) print(ev.log);
      if (ev.release) release = ev.release;
      if (ev.error) failure = ev.error;
    }, { method, body });
  } catch (err) {
    failure = err.message; // refused at once, such as a change already under way
  }

  if (failure) {
    print(`Failed: ${failure}`);
    announce(`${title} failed`);
    throw new Error(failure);
  }
  const done = release ? `Done: v${release.number} ${release.description}` : "Done";
  print(done);
  announce(done);
  return release;
}
