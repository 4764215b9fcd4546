"""Each extraction rule's worth: what it makes and what F1 loses when it is switched off.

    .venv/bin/python -m benchmarks.rules_report [--data ../shared/eval] [--folds 5]
        [--train-articles 200] [--rules a,b] [--out benchmarks/RULES.md]

For each gold set the articles are parsed once (cached under the temporary folder), then the
extractor runs once with every rule on and once per rule with that rule off. Per rule it
prints the quotes whose span the rule made (`rule`) with their span and end-to-end
precision, the matched quotes whose speaker it chose (`speaker_rule`) with the share chosen
right, and the change in span and end-to-end F1 without it (negative: the rule pays).

Sets: GGT dev (GGT view), PolNeAR dev (PolNeAR view) and article folds of PolNeAR's
training split (PolNeAR view; article i in fold i mod k). Rules are not fitted, so the
folds are simply k held-apart samples: the report gives the mean change over folds and the
number of folds where the rule paid. The dev files are what the rules were tuned on; the
training split is text nobody tuned them on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import app.extraction.pipeline  # noqa: F401  (declares every rule)
from app.extraction.evaluation import by_rule, evaluate
from app.extraction.jsonl import Scheme, prediction_record
from app.extraction.learned.train import ParsedArticle, parse_articles
from app.extraction.pipeline import build_extraction
from app.extraction.rules import RULES, STAGES
from app.extraction.rules.resolve.antecedent import ANTECEDENT_ORDER

CACHE = Path(tempfile.gettempdir()) / "quotegraph-rules"
ABLATE_UNSTAMPED = ("names", "cue", "mention", "content")
"""Stages whose rules may change the output without stamping any quote (names sieves fill
the speaker book; a cue can stop a pull quote or a continuation; mention and content sieves
stamp nothing, they only choose the mention and the span a cue rule's quote gets): switched
off even where they stamped nothing, like the antecedent sieves (ANTECEDENT_ORDER, which
choose the person a pronoun rule's stamp names). Rules of the other stages decide in order,
so one that decided nothing on a set is not re-run there."""


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


def predictions(
    articles: Sequence[ParsedArticle], scheme: Scheme, disabled: frozenset[str]
) -> list[dict[str, Any]]:
    return [
        prediction_record(
            a.id, build_extraction(a.text, a.layout, a.docs, disabled=disabled), scheme
        )
        for a in articles
    ]


def measure(
    articles: Sequence[ParsedArticle], scheme: Scheme, rules: Sequence[str]
) -> tuple[dict[str, Any], dict[str, Figures]]:
    gold = [{"id": a.id, "text": a.text, "quotes": list(a.gold)} for a in articles]
    base = predictions(articles, scheme, frozenset())
    report = evaluate(gold, base)
    table = by_rule(gold, base)
    stamped = {q.get("rule") for p in base for q in p["quotes"]}
    stamped |= {q.get("speaker_rule") for p in base for q in p["quotes"]}
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
        declared = RULES[rule_id]
        ordered = (
            declared.stage not in ABLATE_UNSTAMPED
            and not declared.filter
            and rule_id not in ANTECEDENT_ORDER
        )
        if ordered and rule_id not in stamped:
            continue  # an ordered rule that decided nothing here: off changes nothing
        off = evaluate(gold, predictions(articles, scheme, frozenset({rule_id})))
        figures.d_span = round(off["span_iou"]["F1"] - report["span_iou"]["F1"], 4)
        figures.d_e2e = round(off["end_to_end"]["F1"] - report["end_to_end"]["F1"], 4)
        print(f"  {rule_id}: {figures}", file=sys.stderr, flush=True)
    return report, out


def load(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return records[:limit] if limit else records


def cell(f: Figures) -> str:
    made = f"{f.made} ({f.span_p:.2f}/{f.e2e_p:.2f})" if f.made else "0"
    chose = f"{f.chose} ({f.chose_right:.2f})" if f.chose else "0"
    return f"{made} | {chose} | {f.d_span:+.4f} | {f.d_e2e:+.4f}"


def fold_cell(figures: Sequence[Figures]) -> str:
    made = sum(f.made for f in figures)
    d_span = statistics.mean(f.d_span for f in figures)
    d_e2e = statistics.mean(f.d_e2e for f in figures)
    pays = sum(1 for f in figures if f.d_e2e < 0)
    costs = sum(1 for f in figures if f.d_e2e > 0)
    spread = f"[{min(f.d_e2e for f in figures):+.4f}, {max(f.d_e2e for f in figures):+.4f}]"
    return f"{made} | {d_span:+.4f} | {d_e2e:+.4f} {spread} | {pays}/{costs}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--train-articles", type=int, default=200, help="first N training articles")
    parser.add_argument("--rules", default="", help="comma-separated ids (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()
    rules = [r for r in args.rules.split(",") if r] or list(RULES)
    started = time.perf_counter()

    sets: list[tuple[str, Scheme, list[ParsedArticle]]] = []
    wanted: list[tuple[str, str, Scheme, int | None]] = [
        ("GGT dev", "ggt_dev.jsonl", "ggt", None),
        ("PolNeAR dev", "polnear_dev.jsonl", "polnear", None),
        ("PolNeAR train", "polnear_train.jsonl", "polnear", args.train_articles),
    ]
    for name, file, scheme, limit in wanted:
        records = load(args.data / file, limit)
        cache = CACHE / f"{file}.{limit or 'all'}.spacy"
        sets.append((name, scheme, parse_articles(records, cache)))
    lines: list[str] = []
    results: dict[str, dict[str, Figures]] = {}
    for name, scheme, articles in sets[:2]:
        report, figures = measure(articles, scheme, rules)
        results[name] = figures
        lines.append(
            f"- {name} ({len(articles)} articles, {scheme} view), all rules on: span F1 "
            f"{report['span_iou']['F1']:.4f}, end-to-end F1 {report['end_to_end']['F1']:.4f}"
        )
    train = sets[2][2]
    folds: list[dict[str, Figures]] = []
    for k in range(args.folds):
        fold = [a for i, a in enumerate(train) if i % args.folds == k]
        report, figures = measure(fold, "polnear", rules)
        folds.append(figures)
        lines.append(
            f"- PolNeAR train fold {k + 1}/{args.folds} ({len(fold)} articles): span F1 "
            f"{report['span_iou']['F1']:.4f}, end-to-end F1 {report['end_to_end']['F1']:.4f}"
        )
    header = (
        "| rule | GGT dev: made (span P/e2e P) | chose (right) | Δspan | Δe2e "
        "| PolNeAR dev: made (span P/e2e P) | chose (right) | Δspan | Δe2e "
        f"| train {args.folds} folds: made | mean Δspan | mean Δe2e [min, max] | pays/costs |"
    )
    lines.append("")
    for stage in STAGES:
        ids = [r for r in rules if RULES[r].stage == stage]
        if not ids:
            continue
        lines += [f"### {stage}", "", header, "|" + "---|" * 14]
        for rule_id in ids:
            name = rule_id + (" (filter)" if RULES[rule_id].filter else "")
            lines.append(
                f"| {name} | {cell(results['GGT dev'][rule_id])} "
                f"| {cell(results['PolNeAR dev'][rule_id])} "
                f"| {fold_cell([f[rule_id] for f in folds])} |"
            )
        lines.append("")
    costly = [
        r
        for r in rules
        if statistics.mean(f[r].d_e2e for f in folds) > 0
        or statistics.mean(f[r].d_span for f in folds) > 0
    ]
    lines.append(
        "Rules whose removal raises mean span or end-to-end F1 on the training folds: "
        + (", ".join(costly) if costly else "none")
    )
    lines.append(f"\n({time.perf_counter() - started:.0f} s)")
    text = "\n".join(lines)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
