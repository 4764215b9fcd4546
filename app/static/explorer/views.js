// The explorer's pages. Each view fetches through api.run, fills `main`, and returns
// {title, cleanup?}; the router (app.js) handles focus, the document title and errors.

import { run } from "./api.js";
import { chartSince, roleSpans, timelineSeries, weeklyChart } from "./chart.js";
import {
  articleHref,
  articleTitle,
  dayTime,
  h,
  joined,
  kindLabel,
  percent,
  quoteHref,
  quoteItem,
  quoted,
  speakerHref,
} from "./dom.js";
import { markedText, quoteMarks } from "./highlight.js";

const PAGE_SIZE = 20;

function heading(...children) {
  return h("h1", { tabindex: "-1" }, ...children);
}

function section(title, ...children) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

function empty(text) {
  return h("p", { className: "muted" }, text);
}

// --- front page -------------------------------------------------------------------------

export async function homeView(main, { signal }) {
  const data = await run("Latest", { first: 10 }, { signal });
  const quotes = data.quotes.nodes;
  const articles = data.articles.nodes;
  main.replaceChildren(
    heading("Who said what in the news"),
    h(
      "p",
      { className: "lede" },
      "Search a speaker above (press ",
      h("kbd", {}, "/"),
      " to jump there) to see everything they were quoted saying, week by week; open a quote to " +
        "read it highlighted in its article, with the claims in it and their fact-checks.",
    ),
    section(
      "Latest quotes",
      quotes.length
        ? h("ol", { className: "quotes" }, quotes.map((quote) => quoteItem(quote, { showSpeaker: true })))
        : empty("No quotes yet. Ingest articles with `quotegraph ingest examples/`."),
    ),
    section(
      "Latest articles",
      articles.length
        ? h(
            "ul",
            { className: "articles" },
            articles.map((article) =>
              h(
                "li",
                {},
                h("a", { href: articleHref(article.id) }, articleTitle(article)),
                h(
                  "span",
                  { className: "meta" },
                  " ",
                  joined([article.source, dayTime(article.publishedAt ?? article.ingestedAt)]),
                ),
              ),
            ),
          )
        : empty("No articles yet."),
    ),
  );
  return { title: "quotegraph explorer" };
}

// --- speaker page -----------------------------------------------------------------------

const KIND_OPTIONS = [
  ["", "Any kind"],
  ["DIRECT", "Direct"],
  ["INDIRECT", "Reported"],
  ["MIXED", "Partly direct"],
];

/** The filters from the route's query (?kind=DIRECT&since=2024-01-01&until=2024-02-01). */
function speakerFilters(params) {
  const kind = params.get("kind") || null;
  const since = params.get("since") || null;
  const until = params.get("until") || null;
  const valid = (text) => (text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null);
  const untilDay = valid(until);
  let untilExclusive = null;
  if (untilDay) {
    const next = new Date(`${untilDay}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1); // the day given is included
    untilExclusive = next.toISOString();
  }
  return {
    form: { kind: kind ?? "", since: valid(since) ?? "", until: untilDay ?? "" },
    variables: {
      kind: KIND_OPTIONS.some(([value]) => value && value === kind) ? kind : null,
      since: valid(since) ? `${since}T00:00:00Z` : null,
      until: untilExclusive,
    },
  };
}

function filterForm(speakerId, form) {
  // Labels by id, not wrapping, so a control's accessible name is its label alone.
  const field = (label, control) =>
    h("div", { className: "field" }, h("label", { for: control.id }, label), control);
  const element = h(
    "form",
    { className: "filters", "aria-label": "Filter quotes" },
    field(
      "Kind",
      h(
        "select",
        { name: "kind", id: "filter-kind" },
        KIND_OPTIONS.map(([value, label]) =>
          h("option", { value, selected: value === form.kind }, label),
        ),
      ),
    ),
    field("From", h("input", { type: "date", name: "since", id: "filter-since", value: form.since })),
    field("To", h("input", { type: "date", name: "until", id: "filter-until", value: form.until })),
    h("button", { type: "submit" }, "Apply"),
    form.kind || form.since || form.until
      ? h("a", { href: speakerHref(speakerId), className: "reset" }, "Clear filters")
      : null,
  );
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(element)) if (value) query.set(name, String(value));
    const suffix = query.toString();
    location.hash = `${speakerHref(speakerId)}${suffix ? `?${suffix}` : ""}`;
  });
  return element;
}

export async function speakerView(main, { id, params, signal }) {
  const filters = speakerFilters(params);
  const filtered = Boolean(filters.variables.kind || filters.variables.since || filters.variables.until);
  const data = await run(
    "SpeakerPage",
    { id, first: PAGE_SIZE, filtered, ...filters.variables },
    { signal },
  );
  const speaker = data.speaker;
  const recent = { ...speaker.recent, totalCount: speaker.recent.totalCount ?? speaker.quoteCount };
  // The chart: quotes per week counted by the server, the 52 weeks up to the latest quote shown.
  const latest = speaker.quotes.nodes[0]?.date;
  let weeks = [];
  if (latest) {
    const since = [chartSince(latest), filters.variables.since].filter(Boolean).sort().at(-1);
    const timeline = await run(
      "SpeakerTimeline",
      { id, since, until: filters.variables.until },
      { signal },
    );
    weeks = timelineSeries(timeline.timeline);
  }
  const list = h("ol", { className: "quotes", id: "speaker-quotes" });
  const status = h("p", { role: "status", className: "muted" });
  const more = h("button", { type: "button", className: "more" }, "Load more quotes");
  let cursor = speaker.quotes.pageInfo.endCursor;
  let shown = 0;

  function add(quotes, { prepend = false } = {}) {
    const items = quotes.map((quote) => quoteItem(quote));
    if (prepend) list.prepend(...items);
    else list.append(...items);
    shown += quotes.length;
    status.textContent = `Showing ${shown} of ${recent.totalCount} quote${recent.totalCount === 1 ? "" : "s"}${filtered ? " matching the filters" : ""}.`;
    return items;
  }

  function setMore(hasNext) {
    more.hidden = !hasNext;
  }

  more.addEventListener("click", async () => {
    more.disabled = true;
    more.textContent = "Loading…";
    try {
      const page = await run(
        "SpeakerQuotes",
        { id, after: cursor, first: PAGE_SIZE, ...filters.variables },
        { signal },
      );
      const items = add(page.quotes.nodes);
      cursor = page.quotes.pageInfo.endCursor;
      setMore(page.quotes.pageInfo.hasNextPage);
      // Keyboard users continue where the new quotes start.
      items[0]?.querySelector("a")?.focus();
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = error.message;
    } finally {
      more.disabled = false;
      more.textContent = "Load more quotes";
    }
  });

  const roles = roleSpans(recent.nodes);
  const facts = h(
    "dl",
    { className: "facts" },
    h("dt", {}, "Kind"),
    h("dd", {}, speaker.kind.toLowerCase()),
    speaker.role ? [h("dt", {}, "Latest role"), h("dd", {}, speaker.role)] : null,
    h("dt", {}, "Also named"),
    h(
      "dd",
      {},
      speaker.aliases.filter((alias) => alias !== speaker.name).join(", ") || h("span", { className: "muted" }, "no other names"),
    ),
    h("dt", {}, "Quotes"),
    h("dd", {}, String(speaker.quoteCount)),
  );

  const parts = [
    h("p", { className: "crumbs" }, h("a", { href: "#/" }, "Explorer"), " › speaker"),
    heading(speaker.name),
    facts,
    roles.length
      ? section(
          "Roles over time",
          h(
            "ul",
            { className: "roles" },
            roles.map((span) =>
              h(
                "li",
                {},
                h("strong", {}, span.role),
                " ",
                h(
                  "span",
                  { className: "muted" },
                  span.from === span.to ? dayTime(span.from) : [dayTime(span.from), " to ", dayTime(span.to)],
                ),
              ),
            ),
          ),
          h("p", { className: "muted small" }, `As the articles of the latest ${recent.nodes.length} quotes gave it.`),
        )
      : null,
    section(
      "Quotes per week",
      weeklyChart(
        weeks,
        `Quotes of any kind per week${filters.variables.since ? " from the date chosen" : ""}, ` +
          "up to the latest (at most 52 weeks).",
      ),
    ),
    speaker.coQuoted.length
      ? section(
          "Quoted with",
          h(
            "ul",
            { className: "co-quoted" },
            speaker.coQuoted.map((other) =>
              h(
                "li",
                {},
                h("a", { href: speakerHref(other.speaker.id) }, other.speaker.name),
                h(
                  "span",
                  { className: "muted" },
                  ` in ${other.articles} article${other.articles === 1 ? "" : "s"}`,
                ),
              ),
            ),
          ),
        )
      : null,
    section("Quotes, newest first", filterForm(id, filters.form), status, list, more),
  ];
  main.replaceChildren(...parts.filter(Boolean)); // sections left out are null
  add(speaker.quotes.nodes);
  setMore(speaker.quotes.pageInfo.hasNextPage);
  if (!speaker.quotes.nodes.length) {
    list.replaceWith(empty(filtered ? "No quotes match these filters." : "No quotes yet."));
  }

  // Live: new quotes arrive at the top, announced, when the server offers the subscription.
  // (loaded after the page is shown: the page never waits for it)
  let stop = null;
  let left = false;
  import("./live.js").then(({ subscribeQuoteAdded }) => {
    if (left) return;
    stop = subscribeQuoteAdded(id, (quote) => {
      if (filters.variables.kind && quote.kind !== filters.variables.kind) return;
      const [item] = add([quote], { prepend: true });
      item.classList.add("new");
      status.textContent = `New quote: “${quote.text.slice(0, 80)}”. ${status.textContent}`;
    });
  });
  const cleanup = () => {
    left = true;
    stop?.();
  };
  return { title: `${speaker.name} · quotegraph`, cleanup };
}

// --- quote page -------------------------------------------------------------------------

function verdicts(claim) {
  if (!claim.reviews.length) return h("p", { className: "muted small" }, "Not fact-checked.");
  return h(
    "ul",
    { className: "reviews" },
    claim.reviews.map((review) =>
      h(
        "li",
        {},
        h("strong", { className: "verdict" }, review.rating),
        " by ",
        review.url ? h("a", { href: review.url, rel: "noopener noreferrer" }, review.reviewer) : review.reviewer,
        review.datePublished ? [" (", dayTime(review.datePublished), ")"] : "",
      ),
    ),
  );
}

export async function quoteView(main, { id, signal }) {
  const data = await run("QuotePage", { id }, { signal });
  const quote = data.node;
  if (!quote || quote.__typename !== "Quote") {
    const error = new Error("There is no quote with this id.");
    error.code = "NOT_FOUND";
    throw error;
  }
  const article = quote.article;
  const text = h(
    "div",
    {
      className: "article-text",
      id: "article-text",
      tabindex: "0",
      role: "region",
      "aria-label": "Article text with the quote highlighted",
    },
    markedText(article.text, quoteMarks(quote)),
  );
  const legend = h(
    "p",
    { className: "legend small" },
    "Marked: ",
    h("mark", { className: "mark-quote" }, "the quote"),
    " ",
    h("mark", { className: "mark-speaker" }, "the speaker mention"),
    " ",
    h("mark", { className: "mark-cue" }, "the cue"),
    quote.claims.length ? [" ", h("mark", { className: "mark-claim" }, "claims")] : null,
  );
  const facts = h(
    "dl",
    { className: "facts" },
    h("dt", {}, "Said by"),
    h(
      "dd",
      {},
      quote.speaker ? h("a", { href: speakerHref(quote.speaker.id) }, quote.speaker.name) : "nobody the extractor could name",
      quote.role ? h("span", { className: "muted" }, `, ${quote.role}`) : null,
    ),
    h("dt", {}, "Kind"),
    h("dd", {}, kindLabel(quote.kind)),
    h("dt", {}, "Cue"),
    h("dd", {}, quote.cue ? `“${quote.cue}”` : h("span", { className: "muted" }, "none")),
    h("dt", {}, "Confidence"),
    h(
      "dd",
      {},
      h("meter", { min: "0", max: "1", value: String(quote.confidence), "aria-label": "Confidence" }),
      " ",
      percent(quote.confidence),
    ),
    h("dt", {}, "Article"),
    h(
      "dd",
      {},
      h("a", { href: articleHref(article.id) }, articleTitle(article)),
      article.source || article.publishedAt
        ? h("span", { className: "muted" }, " · ", joined([article.source, dayTime(article.publishedAt)]))
        : null,
    ),
    h("dt", {}, "Offsets"),
    h("dd", {}, h("code", {}, `text[${quote.start}:${quote.end}]`)),
  );
  const claims = section(
    "Claims in this quote",
    quote.claims.length
      ? h(
          "ol",
          { className: "claims" },
          quote.claims.map((claim) =>
            h(
              "li",
              {},
              h("p", {}, claim.text, " ", h("span", { className: "muted small" }, `check-worthiness ${percent(claim.score)}`)),
              verdicts(claim),
            ),
          ),
        )
      : empty("No check-worthy claim in this quote."),
  );
  main.replaceChildren(
    h(
      "p",
      { className: "crumbs" },
      h("a", { href: "#/" }, "Explorer"),
      " › ",
      quote.speaker ? h("a", { href: speakerHref(quote.speaker.id) }, quote.speaker.name) : "unattributed",
      " › quote",
    ),
    heading(quote.speaker ? `${quote.speaker.name}, ` : "Quote of ", dayTime(quote.date)),
    h("blockquote", { className: "quote-big" }, quoted(quote)),
    facts,
    claims,
    section("In the article", legend, text),
  );
  // Bring the quote into view inside the article's box, without moving the page.
  const first = text.querySelector("mark.mark-quote");
  if (first) text.scrollTop = Math.max(0, first.offsetTop - text.offsetTop - text.clientHeight / 3);
  return { title: `Quote by ${quote.speaker?.name ?? "unknown"} · quotegraph` };
}

// --- article page -----------------------------------------------------------------------

export async function articleView(main, { id, signal }) {
  const data = await run("ArticlePage", { id }, { signal });
  const article = data.article;
  const meta = joined([article.source, article.byline, article.dateline, dayTime(article.publishedAt ?? article.ingestedAt)]);
  main.replaceChildren(
    h("p", { className: "crumbs" }, h("a", { href: "#/" }, "Explorer"), " › article"),
    heading(articleTitle(article)),
    h(
      "p",
      { className: "meta" },
      meta,
      article.url ? [" · ", h("a", { href: article.url, rel: "noopener noreferrer" }, "original")] : null,
    ),
    section(
      "Speakers",
      article.speakers.length
        ? h(
            "ul",
            { className: "speakers" },
            article.speakers.map((speaker) =>
              h(
                "li",
                {},
                h("a", { href: speakerHref(speaker.id) }, speaker.name),
                speaker.role ? h("span", { className: "muted" }, `, ${speaker.role}`) : null,
              ),
            ),
          )
        : empty("Nobody is quoted."),
    ),
    section(
      "Quotes",
      article.quotes.length
        ? h("ol", { className: "quotes" }, article.quotes.map((quote) => quoteItem(quote, { showSpeaker: true, showArticle: false })))
        : empty("No quotes."),
    ),
    section(
      "Claims",
      article.claims.length
        ? h(
            "ol",
            { className: "claims" },
            article.claims.map((claim) =>
              h(
                "li",
                {},
                h("p", {}, claim.text),
                h(
                  "p",
                  { className: "meta" },
                  claim.claimant ? h("a", { href: speakerHref(claim.claimant.id) }, claim.claimant.name) : "the publication",
                  ` · check-worthiness ${percent(claim.score)}`,
                  claim.quote ? [" · ", h("a", { href: quoteHref(claim.quote.id) }, "in its quote")] : null,
                ),
                verdicts(claim),
              ),
            ),
          )
        : empty("No check-worthy claims."),
    ),
  );
  return { title: `${articleTitle(article)} · quotegraph` };
}
