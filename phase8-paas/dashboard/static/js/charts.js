// charts.js draws small line charts as SVG, by hand: a chart is a box,
// a few grid lines and one <path> per series. No library needed.
//
// SVG's y axis points down, so a value v is drawn at y = height - v*scale.
// The chart stretches to its container's width (viewBox plus CSS
// width: 100%), and the numbers a reader needs are also written as text
// beside it, for screen readers and for anyone who wants the figure.

const svgNS = "http://www.w3.org/2000/svg";
const width = 300;
const height = 100;

function svg(tag, attrs = {}) {
  const el = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

// niceMax rounds a maximum up to 1, 2 or 5 times a power of ten, so
// that the top grid line has a readable value.
function niceMax(v) {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10]) {
    if (v <= step * power) return step * power;
  }
  return 10 * power;
}

// lineChart makes an SVG of series over times. series is a list of
// {label, values, tone}; format turns a value into text ("12 %").
export function lineChart(times, series, format) {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const top = niceMax(Math.max(0, ...all));
  const t0 = times.length ? new Date(times[0]).getTime() : 0;
  const t1 = times.length ? new Date(times[times.length - 1]).getTime() : 1;
  const x = (t) => ((new Date(t).getTime() - t0) / Math.max(1, t1 - t0)) * width;
  const y = (v) => height - (v / top) * height;

  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none",
    "aria-hidden": "true", focusable: "false", class: "chart",
  });
  for (const frac of [0.25, 0.5, 0.75]) {
    chart.append(svg("line", { x1: 0, x2: width, y1: height * frac, y2: height * frac,
      class: "grid" }));
  }
  // A path is "M x,y" (move to the first point) then "L x,y" (a line to
  // each next one).
  const at = (px, v) => `${px.toFixed(1)},${y(v || 0).toFixed(1)}`;
  for (const s of series) {
    let d = s.values.map((v, i) => (i ? "L" : "M") + at(x(times[i]), v));
    // One point makes no line: draw it level across the chart.
    if (d.length === 1) d = ["M" + at(0, s.values[0]), "L" + at(width, s.values[0])];
    if (d.length) chart.append(svg("path", { d: d.join(" "), class: `series ${s.tone}` }));
  }

  const scale = document.createElement("span");
  scale.className = "chart-top";
  scale.textContent = format(top);
  return { chart, scale };
}
