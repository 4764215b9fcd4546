"""Each extraction rule's worth: what it makes and what F1 loses when it is switched off.

    .venv/bin/python -m benchmarks.rules_report [--data ../shared/eval] [--folds 5]
        [--train-articles N] [--rules a,b] [--out benchmarks/RULES.md]

For each gold set the articles are parsed once (cached under the temporary folder), then the
extractor runs once with every rule on, tracing per article which rules decided anything
(`rules.tracing()`), and once per rule with that rule off, on the articles where it decided
something: elsewhere switching it off cannot change the output (the sieve after it sees what
it saw), and a rule that decided nothing on a set has a change of 0 by construction. Per rule
it prints the quotes whose span the rule made (`rule`) with their span and end-to-end
precision, the matched quotes whose speaker it chose (`speaker_rule`) with the share chosen
right, and the change in span and end-to-end F1 without it (negative: the rule pays).

Sets: GGT dev (GGT view) and PolNeAR dev (PolNeAR view) with the shipped attribution model,
and the article folds of PolNeAR's training split (PolNeAR view; article i in fold i mod k,
as benchmarks/attribution_cv.py), fold k extracted with an attribution model fitted on the
other folds only (the shipped one saw every training article). The report gives the mean
change over folds and the number of folds where the rule paid and where it cost. The dev
files are what the rules were tuned on; the training split is text nobody tuned them on.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import app.extraction.pipeline  # declares every rule; its folder keys the fold models
from app.extraction.evaluation import by_rule, evaluate
from app.extraction.jsonl import Scheme, prediction_record
from app.extraction.learned.model import MODEL_FORMAT, AttributionModel
from app.extraction.learned.train import ParsedArticle, parse_articles
from app.extraction.pipeline import build_extraction
from app.extraction.rules import RULES, STAGES, tracing
from benchmarks.attribution_cv import fold_model, folds_of

CACHE = Path(tempfile.gettempdir()) / "quotegraph-rules"
STAMP = "%d %B %Y %H:%M UTC"
TRAIN_CACHE = Path(tempfile.gettempdir()) / "quotegraph-attribution" / "polnear_train.spacy"
"""The training split's parses, shared with benchmarks/attribution_cv.py."""


@dataclass
class Figures:
    """One rule on one set of articles."""

    made: int = 0
    span_p: float = 0.0
    e2e_p: float = 0.0
    chose: int = 0
    chose_right: float = 0.0
    d_span: float = 0.0
    d_e2e: float = 0.0
    ablated: bool = False
    """Whether the rule decided anything on the set (and so was switched off and re-run)."""


READING = """How to read a row (one rule; ids and examples: `quotegraph rules`; code:
`app/extraction/rules/`):

- **made (span P/e2e P)**: quotes whose span the rule made (`QuoteSpan.rule`), and the share of
  them matching a gold quote (span precision) and also attributed right (end-to-end precision).
- **chose (right)**: matched quotes whose speaker the rule chose (`speaker_rule`), and the share
  chosen right. Mention, content and report sieves and the filters stamp nothing (made and chose
  are 0 by construction): only switching them off shows their worth.
- **Δspan, Δe2e**: the change in span F1 and end-to-end F1 when the rule is switched off
  (`extract(..., disabled={{rule}})`); negative means the rule pays. The extractor first runs
  with every rule on, tracing which rules decided anything (`app.extraction.rules.tracing()`:
  found a cue, chose a span or mention, made or dropped a quote, chose a speaker); a rule that
  decided nothing in an article cannot change its output when switched off, so an ablation
  re-extracts only the articles where the rule decided something; a rule that decided nothing
  on a whole set shows `·` there (Δ 0 by construction).
- **train {folds} folds**: all 840 articles of PolNeAR's training split, article i in fold i mod
  {folds} (as `benchmarks/attribution_cv.py`); fold k is extracted with an attribution model
  fitted on the other folds only (the shipped model was fitted on all 840, so it would have
  seen the fold). Shown: quotes made and speakers chosen over all folds, the folds where the
  rule decided anything, the mean Δ over folds (and the range of Δe2e), and on how many folds
  the rule paid / cost (Δe2e < 0 / > 0). A fold has about 4,000 gold attributions: one quote is
  worth about 0.0002 F1.
- GGT dev is scored in the GGT view (speech only), PolNeAR dev and train in the PolNeAR view;
  the dev files with the shipped model. The dev files are what the rules were tuned on; the
  training split is text nobody tuned them on.
- Notes on what was removed or kept after a run: the RESULTS.md section that ran it.
"""


def prediction(
    article: ParsedArticle, scheme: Scheme, disabled: frozenset[str], model: AttributionModel | None
) -> dict[str, Any]:
    extraction = build_extraction(
        article.text, article.layout, article.docs, attribution_model=model, disabled=disabled
    )
    return prediction_record(article.id, extraction, scheme)


def predictions(
    articles: Sequence[ParsedArticle],
    scheme: Scheme,
    disabled: frozenset[str],
    model: AttributionModel | None,
) -> list[dict[str, Any]]:
    return [prediction(a, scheme, disabled, model) for a in articles]


def measure(
    articles: Sequence[ParsedArticle],
    scheme: Scheme,
    rules: Sequence[str],
    model: AttributionModel | None = None,
) -> tuple[dict[str, Any], dict[str, Figures]]:
    """All rules on, then each rule that decided anything here switched off (`model`: the
    attribution model to extract with; None: the shipped one). An article is extracted
    again only where the rule decided something: elsewhere its output cannot change."""
    gold = [{"id": a.id, "text": a.text, "quotes": list(a.gold)} for a in articles]
    base: list[dict[str, Any]] = []
    decided: list[set[str]] = []
    for a in articles:
        with tracing() as seen:
            base.append(prediction(a, scheme, frozenset(), model))
        decided.append(seen)
    report = evaluate(gold, base)
    table = by_rule(gold, base)
    out: dict[str, Figures] = {}
    for rule_id in rules:
        made = table["rule"].get(rule_id, {})
        chose = table["speaker_rule"].get(rule_id, {})
        figures = Figures(
            made=int(made.get("quotes", 0)),
            span_p=float(made.get("span_precision", 0.0)),
            e2e_p=float(made.get("e2e_precision", 0.0)),
            chose=int(chose.get("matched", 0)),
            chose_right=float(chose.get("speaker_right", 0.0)),
        )
        out[rule_id] = figures
        where = [i for i, seen in enumerate(decided) if rule_id in seen]
        if not where:
            continue  # decided nothing here: off changes nothing
        figures.ablated = True
        without = list(base)
        for i in where:
            without[i] = prediction(articles[i], scheme, frozenset({rule_id}), model)
        off = evaluate(gold, without)
        figures.d_span = round(off["span_iou"]["F1"] - report["span_iou"]["F1"], 4)
        figures.d_e2e = round(off["end_to_end"]["F1"] - report["end_to_end"]["F1"], 4)
        print(f"  {rule_id} ({len(where)} articles): {figures}", file=sys.stderr, flush=True)
    return report, out


def load(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return records[:limit] if limit else records


def delta(value: float, ablated: bool) -> str:
    return f"{value:+.4f}" if ablated else "·"


def cell(f: Figures) -> str:
    made = f"{f.made} ({f.span_p:.2f}/{f.e2e_p:.2f})" if f.made else "0"
    chose = f"{f.chose} ({f.chose_right:.2f})" if f.chose else "0"
    return f"{made} | {chose} | {delta(f.d_span, f.ablated)} | {delta(f.d_e2e, f.ablated)}"


def fold_cell(figures: Sequence[Figures]) -> str:
    made = sum(f.made for f in figures)
    chose = sum(f.chose for f in figures)
    decided = sum(f.ablated for f in figures)
    if not decided:
        return f"{made} | {chose} | 0 | · | · | 0/0"
    d_span = statistics.mean(f.d_span for f in figures)
    d_e2e = statistics.mean(f.d_e2e for f in figures)
    pays = sum(1 for f in figures if f.d_e2e < 0)
    costs = sum(1 for f in figures if f.d_e2e > 0)
    spread = f"[{min(f.d_e2e for f in figures):+.4f}, {max(f.d_e2e for f in figures):+.4f}]"
    return f"{made} | {chose} | {decided} | {d_span:+.4f} | {d_e2e:+.4f} {spread} | {pays}/{costs}"


def cached_fold_model(
    articles: Sequence[ParsedArticle], fold: Sequence[int], k: int
) -> AttributionModel:
    """benchmarks.attribution_cv's fold model, kept under the temporary folder keyed by the
    articles, the fold and the extraction code (the rules' cues shape the candidates)."""
    key = hashlib.sha256()
    for a in articles:
        key.update(a.id.encode() + b"\x00" + a.text.encode("utf-8", "replace"))
    key.update(repr((list(fold), k)).encode())
    for source in sorted(Path(app.extraction.pipeline.__file__).parent.rglob("*.py")):
        key.update(source.read_bytes())
    path = CACHE / f"fold-model-{key.hexdigest()[:16]}.json"
    if path.is_file():
        return AttributionModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    model = fold_model(articles, fold, k)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": MODEL_FORMAT, **dataclasses.asdict(model)}
    path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--train-articles", type=int, default=0, help="first N training articles (0: all)"
    )
    parser.add_argument("--rules", default="", help="comma-separated ids (default: all)")
    parser.add_argument(
        "--no-ablation", action="store_true", help="only the figures with every rule on"
    )
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()
    rules = [] if args.no_ablation else [r for r in args.rules.split(",") if r] or list(RULES)
    started = time.perf_counter()

    def elapsed() -> str:
        return f"{time.perf_counter() - started:.0f} s"

    lines: list[str] = [
        "# What each extraction rule is worth",
        "",
        f"Generated by `benchmarks/rules_report.py` ({time.strftime(STAMP, time.gmtime())}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start, one "
        "process):",
        "",
        "    .venv/bin/python -m benchmarks.rules_report " + " ".join(sys.argv[1:]),
        "",
        READING.format(folds=args.folds),
    ]
    results: dict[str, dict[str, Figures]] = {}
    for name, file, scheme in (
        ("GGT dev", "ggt_dev.jsonl", "ggt"),
        ("PolNeAR dev", "polnear_dev.jsonl", "polnear"),
    ):
        articles = parse_articles(load(args.data / file), CACHE / f"{file}.all.spacy")
        report, figures = measure(articles, scheme, rules)
        results[name] = figures
        lines.append(
            f"- {name} ({len(articles)} articles, {scheme} view, shipped model), all rules on: "
            f"span F1 {report['span_iou']['F1']:.4f}, end-to-end F1 "
            f"{report['end_to_end']['F1']:.4f}"
        )
        print(lines[-1], elapsed(), file=sys.stderr, flush=True)
    records = load(args.data / "polnear_train.jsonl", args.train_articles or None)
    cache = TRAIN_CACHE if not args.train_articles else CACHE / f"train.{len(records)}.spacy"
    train = parse_articles(records, cache)
    fold = folds_of(len(train), args.folds)
    folds: list[dict[str, Figures]] = []
    pooled_gold: list[dict[str, Any]] = []
    pooled: list[dict[str, Any]] = []
    for k in range(args.folds):
        model = cached_fold_model(train, fold, k)
        test = [a for i, a in enumerate(train) if fold[i] == k]
        report, figures = measure(test, "polnear", rules, model)
        folds.append(figures)
        pooled_gold += [{"id": a.id, "text": a.text, "quotes": list(a.gold)} for a in test]
        pooled += predictions(test, "polnear", frozenset(), model)
        lines.append(
            f"- PolNeAR train fold {k + 1}/{args.folds} ({len(test)} articles, polnear view, "
            f"model fitted on the other folds): span F1 {report['span_iou']['F1']:.4f}, "
            f"end-to-end F1 {report['end_to_end']['F1']:.4f}"
        )
        print(lines[-1], elapsed(), file=sys.stderr, flush=True)
    whole = evaluate(pooled_gold, pooled)
    lines.append(
        f"- PolNeAR train, the {args.folds} folds pooled ({len(pooled)} articles): span F1 "
        f"{whole['span_iou']['F1']:.4f}, end-to-end F1 {whole['end_to_end']['F1']:.4f}"
    )
    header = (
        "| rule | GGT dev: made (span P/e2e P) | chose (right) | Δspan | Δe2e "
        "| PolNeAR dev: made (span P/e2e P) | chose (right) | Δspan | Δe2e "
        f"| train {args.folds} folds: made | chose | folds decided | mean Δspan "
        "| mean Δe2e [min, max] | pays/costs |"
    )
    lines.append("")
    for stage in STAGES:
        ids = [r for r in rules if RULES[r].stage == stage]
        if not ids:
            continue
        lines += [f"### {stage}", "", header, "|" + "---|" * 16]
        for rule_id in ids:
            name = rule_id + (" (filter)" if RULES[rule_id].filter else "")
            lines.append(
                f"| {name} | {cell(results['GGT dev'][rule_id])} "
                f"| {cell(results['PolNeAR dev'][rule_id])} "
                f"| {fold_cell([f[rule_id] for f in folds])} |"
            )
        lines.append("")
    if rules:
        costly = [
            r
            for r in rules
            if statistics.mean(f[r].d_e2e for f in folds) > 0
            and sum(f[r].d_e2e > 0 for f in folds) > args.folds / 2
        ]
        lines.append(
            "Rules whose removal raises mean end-to-end F1 on the training folds, costing on "
            "most folds: " + (", ".join(costly) if costly else "none")
        )
    lines.append(f"\n({elapsed()}; load average {os.getloadavg()[0]:.1f} at the end)")
    text = "\n".join(lines)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
