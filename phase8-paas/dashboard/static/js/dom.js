// dom.js holds the few helpers the views share to build markup and to
// format numbers and times. Text always goes in with textContent, never
// innerHTML, so that an app's log line or config value can never become
// markup (or script) in the page.

// h makes an element: h("td", { class: "num" }, "3") is <td class="num">3</td>.
// Attributes starting with "on" are event listeners.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else if (value !== false && value != null) el.setAttribute(name, value);
  }
  el.append(...children.filter((c) => c != null));
  return el;
}

// view clones the <template id="view-NAME"> of index.html.
export function view(name) {
  return document.getElementById(`view-${name}`).content.cloneNode(true);
}

// field finds the element marked data-field="NAME" inside root.
export function field(root, name) {
  return root.querySelector(`[data-field="${name}"]`);
}

// announce tells screen reader users about something that happened
// outside their focus ("Scaled to 3 replicas").
export function announce(text) {
  const el = document.getElementById("announce");
  el.textContent = "";
  // A fresh change after a tick makes the same text read out again.
  setTimeout(() => (el.textContent = text), 50);
}

// ago says how long ago a time was, in words: "5 min ago".
export function ago(time) {
  const seconds = Math.round((Date.now() - new Date(time)) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} days ago`;
}

// timeOf renders a time as <time> with the full date in a tooltip.
export function timeOf(time, text = ago(time)) {
  const d = new Date(time);
  return h("time", { datetime: d.toISOString(), title: d.toLocaleString() }, text);
}

// clock renders a time of day, such as 14:03:27.
export function clock(time) {
  return new Date(time).toLocaleTimeString([], { hour12: false });
}

// bytes renders a size: 12.5 MiB.
export function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
