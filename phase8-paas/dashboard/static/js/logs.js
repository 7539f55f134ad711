// logs.js shows an app's logs live: what its replicas print, its builds,
// the router's access lines and the PaaS's own notes, merged.
//
// GET .../logs?follow=true&tail=100 answers the last 100 lines and then
// keeps the connection open, sending each new line as a JSON object
// {time, source, process, replica, stream, line} as soon as it is
// written. If the connection drops, it is opened again with tail=0, so
// that no line shows twice.

import { appPath, missing, stream } from "./api.js";
import { clock, field, h } from "./dom.js";

const keepLines = 500; // older lines leave the page
const retryAfter = 3000; // milliseconds

export async function followLogs(main, app, signal) {
  const list = main.querySelector(".log-lines");
  const note = field(main, "logs-note");
  const pause = main.querySelector('[data-action="pause-logs"]');
  let paused = false;
  let held = []; // lines that arrived while paused

  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume" : "Pause";
    if (!paused) {
      held.forEach(show);
      held = [];
    }
  });

  function show(entry) {
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.append(h("li", { class: `log ${entry.source || ""} ${entry.stream || ""}` },
      h("time", { datetime: entry.time }, clock(entry.time)),
      h("span", { class: "who" }, entry.replica || entry.source || ""),
      h("span", { class: "line" }, entry.line),
    ));
    while (list.children.length > keepLines) list.firstElementChild.remove();
    // Keep following the end, unless the reader scrolled up to read.
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  let tail = 100;
  while (!signal.aborted) {
    try {
      note.textContent = "Following…";
      await stream(appPath(app, `/logs?follow=true&tail=${tail}`),
        (entry) => (paused ? held.push(entry) : show(entry)), { signal });
    } catch (err) {
      if (signal.aborted) return;
      if (missing(err)) {
        note.textContent = "This server does not serve logs.";
        return;
      }
      note.textContent = `Disconnected (${err.message}); retrying…`;
    }
    tail = 0;
    await sleep(retryAfter, signal);
  }
}

// sleep waits ms milliseconds, or less if signal aborts.
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
