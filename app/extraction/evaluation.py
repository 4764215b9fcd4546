"""Score predicted quotes against gold with the protocol of shared/eval/score.py.

Quote spans are trimmed of white space, quotation marks and edge punctuation, then matched
one-to-one per article, greedily by character IoU (>= 0.5). A matched quote is attributed
right when the canonical names agree (strict: same tokens after dropping case, accents and
titles; lenient: one name's tokens a subset of the other's), or, where gold has no canonical
name but a mention span, when the predicted mention overlaps it. Records are dicts in the
JSONL format: gold {"id", "text", "quotes": [...]}, predictions {"id", "quotes": [...]}.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

IOU_THRESHOLD = 0.5
TRIM = " \t\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb,.;:\u2014\u2013-\u2026"
TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sir",
    "president",
    "prime",
    "minister",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "mayor",
    "chief",
    "the",
    "premier",
    "s",
}
PRONOUNS = {"he", "she", "they", "i", "we", "it", "him", "her", "his"}
QUOTE_TYPES = ("direct", "indirect", "mixed")
MENTION_KINDS = ("name", "pronoun", "no_mention")

Span = tuple[int, int]
Record = Mapping[str, Any]


def trim(start: int, end: int, text: str) -> Span:
    """The span without surrounding white space, quotation marks and edge punctuation."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def name_tokens(name: str | None) -> tuple[str, ...]:
    if not name:
        return ()
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return tuple(t for t in re.findall(r"[a-z0-9]+", ascii_name) if t not in TITLES)


def same_name(gold: str | None, predicted: str | None, lenient: bool) -> bool:
    g, p = name_tokens(gold), name_tokens(predicted)
    if not g or not p:
        return False
    return g == p or (lenient and (set(g) <= set(p) or set(p) <= set(g)))


def iou(a: Span, b: Span) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _overlaps(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    if a[0] is None or a[1] is None or b[0] is None or b[1] is None:
        return False
    return min(a[1], b[1]) > max(a[0], b[0])


def match(gold: Sequence[Span], predicted: Sequence[Span], threshold: float) -> list[Span]:
    """Greedy one-to-one pairs (gold index, predicted index), best IoU first."""
    candidates = sorted(
        ((iou(p, g), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[Span] = []
    for score, i, j in candidates:
        if score < threshold:
            break
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        pairs.append((i, j))
    return pairs


def attribution_right(gold: Record, predicted: Record, lenient: bool) -> bool:
    if gold.get("speaker"):
        return same_name(gold["speaker"], predicted.get("speaker"), lenient)
    if gold.get("speaker_start") is not None:
        return _overlaps(
            (gold["speaker_start"], gold["speaker_end"]),
            (predicted.get("speaker_start"), predicted.get("speaker_end")),
        )
    return not predicted.get("speaker")


def prf(hits: int, n_predicted: int, n_gold: int) -> dict[str, float]:
    precision = hits / n_predicted if n_predicted else 0.0
    recall = hits / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": round(precision, 4), "R": round(recall, 4), "F1": round(f1, 4)}


def mention_kind(quote: Record, text: str) -> str:
    if quote.get("speaker_start") is None:
        return "no_mention"
    mention = text[quote["speaker_start"] : quote["speaker_end"]].strip().lower()
    return "pronoun" if mention in PRONOUNS else "name"


def _paired(
    gold: Sequence[Record], predicted: Sequence[Record]
) -> Iterator[tuple[Record, list[Record], list[Span], list[Span]]]:
    """Each gold article with its predicted quotes (those with offsets) and both trimmed spans."""
    by_id = {record["id"]: record for record in predicted}
    for article in gold:
        text = article["text"]
        pred_quotes = [
            q
            for q in by_id.get(article["id"], {}).get("quotes", [])
            if isinstance(q.get("start"), int) and isinstance(q.get("end"), int)
        ]
        gold_spans = [trim(q["start"], q["end"], text) for q in article["quotes"]]
        pred_spans = [trim(q["start"], q["end"], text) for q in pred_quotes]
        yield article, pred_quotes, gold_spans, pred_spans


def evaluate(
    gold: Sequence[Record], predicted: Sequence[Record], *, threshold: float = IOU_THRESHOLD
) -> dict[str, Any]:
    """Span and end-to-end scores of predictions against gold, as score.py reports them."""
    counts: defaultdict[str, int] = defaultdict(int)
    for article, pred_quotes, gold_spans, pred_spans in _paired(gold, predicted):
        text = article["text"]
        counts["gold"] += len(gold_spans)
        counts["pred"] += len(pred_spans)
        counts["exact"] += sum((Counter(gold_spans) & Counter(pred_spans)).values())
        for quote in article["quotes"]:
            counts["gold_" + (quote.get("type") or "untyped")] += 1
            counts["gold_" + mention_kind(quote, text)] += 1
        for i, j in match(gold_spans, pred_spans, threshold):
            gold_quote, pred_quote = article["quotes"][i], pred_quotes[j]
            counts["span"] += 1
            counts["span_" + (gold_quote.get("type") or "untyped")] += 1
            lenient = attribution_right(gold_quote, pred_quote, True)
            counts["e2e_strict"] += attribution_right(gold_quote, pred_quote, False)
            counts["e2e"] += lenient
            counts["e2e_" + mention_kind(gold_quote, text)] += lenient
    return {
        "quotes_gold": counts["gold"],
        "quotes_pred": counts["pred"],
        "span_exact": prf(counts["exact"], counts["pred"], counts["gold"]),
        "span_iou": prf(counts["span"], counts["pred"], counts["gold"]),
        "end_to_end_strict": prf(counts["e2e_strict"], counts["pred"], counts["gold"]),
        "end_to_end": prf(counts["e2e"], counts["pred"], counts["gold"]),
        "attribution_given_span": (
            round(counts["e2e"] / counts["span"], 4) if counts["span"] else 0.0
        ),
        "recall_by_type": {
            t: round(counts["span_" + t] / counts["gold_" + t], 4)
            for t in QUOTE_TYPES
            if counts["gold_" + t]
        },
        "e2e_recall_by_mention": {
            k: round(counts["e2e_" + k] / counts["gold_" + k], 4)
            for k in MENTION_KINDS
            if counts["gold_" + k]
        },
    }


# Confidence bands reported by by_confidence: [low, high).
CONFIDENCE_BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01))


def by_confidence(
    gold: Sequence[Record], predicted: Sequence[Record], *, threshold: float = IOU_THRESHOLD
) -> list[dict[str, Any]]:
    """How far a quote's confidence can be trusted: per confidence band, how many predicted
    quotes match a gold span (span precision) and, of those, how many have the right speaker."""
    counts = [[0, 0, 0] for _ in CONFIDENCE_BANDS]
    for article, pred_quotes, gold_spans, pred_spans in _paired(gold, predicted):
        matched = dict((j, i) for i, j in match(gold_spans, pred_spans, threshold))
        for j, quote in enumerate(pred_quotes):
            confidence = float(quote.get("confidence") or 0.0)
            band = next(
                b for b, (low, high) in enumerate(CONFIDENCE_BANDS) if low <= confidence < high
            )
            counts[band][0] += 1
            if j in matched:
                counts[band][1] += 1
                counts[band][2] += attribution_right(
                    article["quotes"][matched[j]], quote, lenient=True
                )
    return [
        {
            "band": f"{low:.2f}-{min(high, 1.0):.2f}",
            "quotes": n,
            "span_precision": round(spans / n, 4) if n else 0.0,
            "speaker_right_given_span": round(right / spans, 4) if spans else 0.0,
        }
        for (low, high), (n, spans, right) in zip(CONFIDENCE_BANDS, counts, strict=True)
    ]


def by_rule(
    gold: Sequence[Record], predicted: Sequence[Record], *, threshold: float = IOU_THRESHOLD
) -> dict[str, dict[str, dict[str, float]]]:
    """What each rule's output is worth: per `rule` (the rule that made a quote's span), how
    many quotes it made, the share matching a gold quote (span precision) and the share also
    attributed right (end-to-end precision); per `speaker_rule`, how many matched quotes it
    chose the speaker of and the share it chose right."""
    spans: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    speakers: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for article, pred_quotes, gold_spans, pred_spans in _paired(gold, predicted):
        matched = {j: i for i, j in match(gold_spans, pred_spans, threshold)}
        for j, quote in enumerate(pred_quotes):
            counts = spans[str(quote.get("rule") or "none")]
            counts[0] += 1
            if j not in matched:
                continue
            right = attribution_right(article["quotes"][matched[j]], quote, lenient=True)
            counts[1] += 1
            counts[2] += right
            chosen = speakers[str(quote.get("speaker_rule") or "none")]
            chosen[0] += 1
            chosen[1] += right
    return {
        "rule": {
            rule: {
                "quotes": n,
                "span_precision": round(hits / n, 4) if n else 0.0,
                "e2e_precision": round(right / n, 4) if n else 0.0,
            }
            for rule, (n, hits, right) in sorted(spans.items(), key=lambda kv: -kv[1][0])
        },
        "speaker_rule": {
            rule: {"matched": n, "speaker_right": round(right / n, 4) if n else 0.0}
            for rule, (n, right) in sorted(speakers.items(), key=lambda kv: -kv[1][0])
        },
    }


def format_by_rule(table: Mapping[str, Mapping[str, Mapping[str, float]]]) -> str:
    """by_rule() as two plain-text tables."""
    lines = [f"{'rule (span)':<28} {'quotes':>6} {'span P':>7} {'e2e P':>7}"]
    for rule, row in table["rule"].items():
        lines.append(
            f"{rule:<28} {row['quotes']:>6} {row['span_precision']:>7.3f} "
            f"{row['e2e_precision']:>7.3f}"
        )
    lines.append(f"{'speaker_rule':<28} {'matched':>6} {'right':>7}")
    for rule, row in table["speaker_rule"].items():
        lines.append(f"{rule:<28} {row['matched']:>6} {row['speaker_right']:>7.3f}")
    return "\n".join(lines)


def ablation(with_rule: Mapping[str, Any], without_rule: Mapping[str, Any]) -> dict[str, float]:
    """The change in predicted quotes and F1 when a rule is switched off (evaluate() results):
    negative F1 changes mean the rule pays."""
    return {
        "quotes": without_rule["quotes_pred"] - with_rule["quotes_pred"],
        "span_f1": round(without_rule["span_iou"]["F1"] - with_rule["span_iou"]["F1"], 4),
        "e2e_f1": round(without_rule["end_to_end"]["F1"] - with_rule["end_to_end"]["F1"], 4),
    }


def format_report(report: Mapping[str, Any]) -> str:
    """A short human-readable table of an evaluate() result."""

    def row(label: str, scores: Mapping[str, float]) -> str:
        return f"{label:<22} P {scores['P']:.4f}  R {scores['R']:.4f}  F1 {scores['F1']:.4f}"

    lines = [
        f"quotes: gold {report['quotes_gold']}, predicted {report['quotes_pred']}",
        row("span (IoU >= 0.5)", report["span_iou"]),
        row("span (exact)", report["span_exact"]),
        row("end-to-end", report["end_to_end"]),
        row("end-to-end (strict)", report["end_to_end_strict"]),
        f"{'attribution | span':<22} {report['attribution_given_span']:.4f}",
        "recall by quote type:   "
        + ", ".join(f"{k} {v:.4f}" for k, v in report["recall_by_type"].items()),
        "e2e recall by mention:  "
        + ", ".join(f"{k} {v:.4f}" for k, v in report["e2e_recall_by_mention"].items()),
    ]
    for band in report.get("by_confidence", ()):
        lines.append(
            f"confidence {band['band']}: {band['quotes']:>5} quotes, span precision "
            f"{band['span_precision']:.2f}, speaker right given span "
            f"{band['speaker_right_given_span']:.2f}"
        )
    return "\n".join(lines)
