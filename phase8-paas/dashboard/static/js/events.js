// events.js is the app's events feed: releases, scaling (by hand or by
// the autoscaler), health changes and crashes, newest first.
//
// GET .../events?follow=true streams them the way logs.js streams log
// lines: one JSON object per line, {time, kind, message, release}.

import { appPath, missing, stream } from "./api.js";
import { field, h, timeOf } from "./dom.js";
import { sleep } from "./logs.js";

const keepEvents = 100;
const retryAfter = 3000; // milliseconds
const tones = { release: "ok", scale: "idle", autoscale: "idle", health: "warn", crash: "bad" };

export async function followEvents(main, app, signal) {
  const list = main.querySelector("ol.events");
  const note = field(main, "events-note");
  const seen = new Set(); // a reconnection may send an event again

  function show(ev) {
    const key = `${ev.time}|${ev.kind}|${ev.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    note.textContent = "";
    list.prepend(h("li", {},
      h("span", { class: `badge ${tones[ev.kind] || ""}` }, ev.kind),
      " ", h("span", {}, ev.message), " ",
      timeOf(ev.time),
    ));
    while (list.children.length > keepEvents) list.lastElementChild.remove();
  }

  note.textContent = "No events yet.";
  while (!signal.aborted) {
    try {
      await stream(appPath(app, "/events?follow=true"), show, { signal });
    } catch (err) {
      if (signal.aborted) return;
      if (missing(err)) {
        note.textContent = "This server does not report events.";
        return;
      }
    }
    await sleep(retryAfter, signal);
  }
}
