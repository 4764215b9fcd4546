// Quotes per week as a small SVG bar chart with a table beside it for screen readers.
// The counts come from the server (`timeline(interval: WEEK)`, see `timelineSeries`);
// `weeklyCounts` counts dates a page already holds the same way.

import { h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const DAY_MS = 86_400_000;
const MAX_WEEKS = 52;
const MIN_WEEKS = 12; // a few quotes in one week still read as a chart, not one slab

/** Monday 00:00 UTC of the week holding `date`. */
function weekStart(date) {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return midnight - sinceMonday * DAY_MS;
}

/** [{week: ms, count}] from the oldest to the newest date's week, empty weeks included: at
 *  most the last 52 weeks, at least 12. */
export function weeklyCounts(isoDates) {
  if (!isoDates.length) return [];
  const counts = new Map();
  for (const iso of isoDates) {
    const week = weekStart(new Date(iso));
    counts.set(week, (counts.get(week) ?? 0) + 1);
  }
  const weeks = [...counts.keys()];
  const last = Math.max(...weeks);
  const oldest = Math.min(Math.min(...weeks), last - (MIN_WEEKS - 1) * 7 * DAY_MS);
  const first = Math.max(oldest, last - (MAX_WEEKS - 1) * 7 * DAY_MS);
  const series = [];
  for (let week = first; week <= last; week += 7 * DAY_MS) {
    series.push({ week, count: counts.get(week) ?? 0 });
  }
  return series;
}

/** The first day of the chart asking for the 52 weeks up to `latestIso` (Monday of the
 *  oldest week, ISO). */
export function chartSince(latestIso) {
  return new Date(weekStart(new Date(latestIso)) - (MAX_WEEKS - 1) * 7 * DAY_MS).toISOString();
}

/** [{week: ms, count}] from timeline buckets ({start, quotes}), oldest first, without the
 *  empty weeks before the first quote (at least 12 weeks stay). */
export function timelineSeries(buckets) {
  const series = buckets.map((bucket) => ({ week: Date.parse(bucket.start), count: bucket.quotes }));
  const first = series.findIndex((point) => point.count > 0);
  return series.slice(Math.max(0, Math.min(first, series.length - MIN_WEEKS)));
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A figure: the bars, a caption, and the numbers as a table (collapsed). */
export function weeklyChart(series, caption) {
  const width = 600;
  const height = 120;
  const peak = Math.max(1, ...series.map((point) => point.count));
  const slot = width / Math.max(series.length, 1);
  const bars = series.map((point, index) => {
    const barHeight = point.count ? Math.max(2, (point.count / peak) * (height - 20)) : 0;
    return svg(
      "rect",
      {
        x: (index * slot + slot * 0.1).toFixed(1),
        y: (height - barHeight).toFixed(1),
        width: Math.max(1, slot * 0.8).toFixed(1),
        height: barHeight.toFixed(1),
        class: "bar",
      },
      svg("title", {}, `week of ${isoDay(point.week)}: ${point.count}`),
    );
  });
  const summary =
    series.length === 0
      ? "No quotes to chart."
      : `${plural(series.reduce((sum, point) => sum + point.count, 0), "quote")} over ` +
        `${plural(series.length, "week")} from ${isoDay(series[0].week)}, at most ${peak} in a week.`;
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", role: "img", "aria-label": summary, class: "chart" },
    svg("line", { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: "axis" }),
    ...bars,
  );
  // Labels in HTML, not in the SVG, so they keep their size when the chart shrinks on a phone.
  const axis = series.length
    ? h(
        "div",
        { className: "axis-labels", "aria-hidden": "true" },
        h("span", {}, isoDay(series[0].week)),
        h("span", {}, `highest: ${peak} a week`),
        h("span", {}, isoDay(series.at(-1).week)),
      )
    : null;
  const rows = series
    .filter((point) => point.count)
    .map((point) => h("tr", {}, h("td", {}, isoDay(point.week)), h("td", {}, point.count)));
  return h(
    "figure",
    { className: "weekly" },
    chart,
    axis,
    h("figcaption", {}, caption, " ", h("span", { className: "muted" }, summary)),
    series.length
      ? h(
          "details",
          {},
          h("summary", {}, "Quotes per week as a table"),
          h(
            "table",
            {},
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Week of"), h("th", { scope: "col" }, "Quotes"))),
            h("tbody", {}, rows),
          ),
        )
      : null,
  );
}

/** Roles over time from (date, role) pairs newest first: each run of one role with its dates. */
export function roleSpans(quotes) {
  const spans = [];
  for (const quote of [...quotes].reverse()) {
    if (!quote.role) continue;
    const last = spans.at(-1);
    if (last && last.role.toLowerCase() === quote.role.toLowerCase()) {
      last.to = quote.date;
    } else {
      spans.push({ role: quote.role, from: quote.date, to: quote.date });
    }
  }
  return spans.reverse();
}
