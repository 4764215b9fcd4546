// Article text with marked ranges (the quote, the speaker mention, the cue, claims), from the
// stored offsets: every offset in the API points into `article.text`.

import { h } from "./dom.js";

/** The quote's ranges in its article: its fragments when the API gives them (a quote broken by
 *  "he said" in the middle), else its one span start..end. */
export function quoteRanges(quote) {
  const fragments = quote.fragments?.length ? quote.fragments : [quote];
  return fragments.map((fragment) => ({ start: fragment.start, end: fragment.end }));
}

/** Every range to mark on a quote page, each with its part: quote, speaker, cue, claim. */
export function quoteMarks(quote) {
  const marks = quoteRanges(quote).map((range) => ({ ...range, part: "quote" }));
  if (quote.speakerStart != null && quote.speakerEnd != null) {
    marks.push({ start: quote.speakerStart, end: quote.speakerEnd, part: "speaker" });
  }
  if (quote.cueStart != null && quote.cueEnd != null) {
    marks.push({ start: quote.cueStart, end: quote.cueEnd, part: "cue" });
  }
  for (const claim of quote.claims ?? []) {
    marks.push({ start: claim.start, end: claim.end, part: "claim" });
  }
  return marks;
}

const LABELS = {
  quote: "quote",
  speaker: "speaker mention",
  cue: "cue",
  claim: "claim",
};

/** A fragment of `text` cut at every range boundary; each piece inside ranges is a <mark> whose
 *  classes and data-part name the parts covering it. Screen readers hear where the quote starts
 *  and ends. */
export function markedText(text, marks) {
  const inside = marks
    .map((mark) => ({
      ...mark,
      start: Math.max(0, Math.min(mark.start, text.length)),
      end: Math.max(0, Math.min(mark.end, text.length)),
    }))
    .filter((mark) => mark.end > mark.start);
  const cuts = new Set([0, text.length]);
  for (const mark of inside) {
    cuts.add(mark.start);
    cuts.add(mark.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  const quoteStarts = new Set(inside.filter((m) => m.part === "quote").map((m) => m.start));
  const quoteEnds = new Set(inside.filter((m) => m.part === "quote").map((m) => m.end));
  for (let index = 0; index + 1 < points.length; index += 1) {
    const [from, to] = [points[index], points[index + 1]];
    if (quoteStarts.has(from)) fragment.append(h("span", { className: "sr-only" }, "[quote] "));
    const parts = [...new Set(inside.filter((m) => m.start <= from && m.end >= to).map((m) => m.part))];
    const piece = text.slice(from, to);
    if (parts.length === 0) {
      fragment.append(piece);
    } else {
      fragment.append(
        h(
          "mark",
          {
            className: parts.map((part) => `mark-${part}`).join(" "),
            "data-part": parts.join(" "),
            title: parts.map((part) => LABELS[part]).join(", "),
          },
          piece,
        ),
      );
    }
    if (quoteEnds.has(to)) fragment.append(h("span", { className: "sr-only" }, " [end of quote]"));
  }
  return fragment;
}
