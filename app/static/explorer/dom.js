// Small DOM helpers: elements are built from data with text nodes, never from HTML strings.

/** h("a", {href: "#/"}, "Home"): an element with attributes (on* as listeners) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "className") {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** "2024-02-08" for an ISO date-time (UTC), or "" for none. */
export function day(iso) {
  return iso ? iso.slice(0, 10) : "";
}

/** The day as a <time> element (kept on one line: a narrow screen would break it at a hyphen),
 * or null for none. */
export function dayTime(iso) {
  return iso ? h("time", { datetime: iso }, day(iso)) : null;
}

/** The parts that are there, text or elements, separated by " · ". */
export function joined(parts) {
  return parts.filter(Boolean).flatMap((part, index) => (index ? [" · ", part] : [part]));
}

const KINDS = { DIRECT: "direct", INDIRECT: "reported", MIXED: "partly direct" };

export function kindLabel(kind) {
  return KINDS[kind] ?? String(kind).toLowerCase();
}

export function percent(value) {
  return `${Math.round(value * 100)}%`;
}

/** A direct quote in quotation marks; reported speech (partly direct too) as written. */
export function quoted(quote, text = quote.text) {
  return quote.kind === "DIRECT" ? `“${text}”` : text;
}

export function shorten(text, length = 280) {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

export function speakerHref(id) {
  return `#/speaker/${encodeURIComponent(id)}`;
}

export function quoteHref(id) {
  return `#/quote/${encodeURIComponent(id)}`;
}

export function articleHref(id) {
  return `#/article/${encodeURIComponent(id)}`;
}

/** The article's title, or a stand-in naming its source. */
export function articleTitle(article) {
  return article.title || `Untitled article${article.source ? ` (${article.source})` : ""}`;
}

/** One quote as an item of a list: the words (a link to the quote page) and a line about it. */
export function quoteItem(quote, { showSpeaker = false, showArticle = true } = {}) {
  const meta = [
    h("span", { className: `kind kind-${quote.kind.toLowerCase()}` }, kindLabel(quote.kind)),
    dayTime(quote.date),
    showSpeaker
      ? quote.speaker
        ? h("a", { href: speakerHref(quote.speaker.id) }, quote.speaker.name)
        : h("span", {}, "unattributed")
      : null,
    showArticle && quote.article
      ? h("a", { href: articleHref(quote.article.id) }, articleTitle(quote.article))
      : null,
    h(
      "span",
      { className: "confidence", title: "Confidence in the attribution" },
      `confidence ${percent(quote.confidence)}`,
    ),
  ];
  return h(
    "li",
    { className: "quote-item" },
    h(
      "blockquote",
      {},
      h("a", { href: quoteHref(quote.id), className: "quote-link" }, quoted(quote, shorten(quote.text))),
    ),
    h("p", { className: "meta" }, joined(meta)),
  );
}
