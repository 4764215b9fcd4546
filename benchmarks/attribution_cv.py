"""Cross-validate the learned attribution model on article folds of PolNeAR's training split.

    .venv/bin/python -m benchmarks.attribution_cv [--data ../shared/eval] [--folds 5]
        [--thresholds 0.3,0.4,0.5] [--cache /tmp/quotegraph-attribution/polnear_train.spacy]

Each fold's model is fitted on the other folds only; the extractor (rules + that model) then
runs on the fold's articles and is scored with score.py's protocol, under the PolNeAR view
(all attribution classes) and the GGT view (speech only), both against the same gold.
"rules" is the extractor with the model switched off. Prints one
markdown table per threshold: span and end-to-end P/R/F1, recall per quote type and mention
type, and the precision of each attribution class. Parses are cached outside the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from app.extraction.classes import ATTRIBUTION_CLASSES, attribution_class, source_head
from app.extraction.evaluation import evaluate
from app.extraction.jsonl import Scheme, prediction_record
from app.extraction.learned.model import AttributionModel
from app.extraction.learned.train import (
    Example,
    ParsedArticle,
    cue_lexicon,
    examples,
    fit,
    parse_articles,
)
from app.extraction.pipeline import build_extraction

RULES_ONLY = AttributionModel({}, 2.0)


def folds_of(count: int, folds: int) -> list[int]:
    """Article i goes to fold i mod k: deterministic and balanced by position in the file."""
    return [i % folds for i in range(count)]


def fold_model(articles: Sequence[ParsedArticle], fold: Sequence[int], k: int) -> AttributionModel:
    """The model fitted on every fold but `k` (`fold[i]` is article i's fold): everything
    learned, the cue lexicon included, comes from the other folds only."""
    fitted = [a for i, a in enumerate(articles) if fold[i] != k]
    lexicon = cue_lexicon(fitted)
    return AttributionModel.from_json(fit(examples(fitted, lexicon), lexicon))


def candidate_report(
    model: AttributionModel, test: Sequence[Example], thresholds: Sequence[float]
) -> str:
    """Precision and recall of the candidates themselves (predicate + content right)."""
    positives = sum(e.positive for e in test)
    scored = [(model.probability(e.features), e.positive) for e in test]
    parts = []
    for t in thresholds:
        chosen = [y for p, y in scored if p >= t]
        hits = sum(chosen)
        parts.append(
            f"@{t}: {len(chosen)} proposed, P {hits / max(1, len(chosen)):.3f} "
            f"R {hits / max(1, positives):.3f}"
        )
    return f"candidates: {len(test)} ({positives} right); " + "; ".join(parts)


def predict(
    articles: Sequence[ParsedArticle], model: AttributionModel, schemes: Sequence[Scheme]
) -> dict[Scheme, list[dict[str, Any]]]:
    """One extraction per article, written in each scheme's view."""
    out: dict[Scheme, list[dict[str, Any]]] = {s: [] for s in schemes}
    for a in articles:
        extraction = build_extraction(a.text, a.layout, a.docs, attribution_model=model)
        for scheme in schemes:
            out[scheme].append(prediction_record(a.id, extraction, scheme))
    return out


def gold_classes(article: ParsedArticle) -> list[dict[str, Any]]:
    """The article's gold quotes, each given the class its cue implies (the gold has none):
    the lemma of the cue's first predicate word and the head word of its source mention, as
    `attribution_class` reads a predicted attribution (the head before an "of" phrase)."""
    tokens = [
        (para.start + t.idx, t)
        for para, doc in zip(article.layout.paragraphs, article.docs, strict=False)
        for t in doc
    ]
    out = []
    for quote in article.gold:
        cs, ce = quote.get("cue_start"), quote.get("cue_end")
        lemma = None
        if cs is not None and ce is not None:
            inside = [t for at, t in tokens if cs <= at < ce]
            predicate = next((t for t in inside if t.pos_ in {"VERB", "NOUN", "ADJ"}), None)
            chosen = predicate or (inside[0] if inside else None)
            lemma = chosen.lemma_.lower() if chosen is not None else None
        head = source_head(str(quote.get("speaker_mention") or ""))
        out.append({**quote, "attribution_class": attribution_class(lemma, head)})
    return out


def of_class(records: Sequence[Mapping[str, Any]], name: str) -> list[dict[str, Any]]:
    return [
        {**r, "quotes": [q for q in r["quotes"] if q.get("attribution_class") == name]}
        for r in records
    ]


def class_scores(gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> str:
    """Span and end-to-end F1 per attribution class (gold classes read off the gold cues),
    and each gold class's recall by a prediction of any class ("any")."""
    parts = []
    for name in ATTRIBUTION_CLASSES:
        report = evaluate(of_class(gold, name), of_class(predicted, name))
        s, e = report["span_iou"], report["end_to_end"]
        anyclass = evaluate(of_class(gold, name), predicted)
        parts.append(
            f"{name} {report['quotes_pred']}/{report['quotes_gold']}: "
            f"{s['P']:.2f}/{s['R']:.2f}/{s['F1']:.3f} e2e {e['F1']:.3f} "
            f"(any: span R {anyclass['span_iou']['R']:.2f}, e2e R "
            f"{anyclass['end_to_end']['R']:.2f})"
        )
    return "; ".join(parts)


def added(
    rules: Sequence[Mapping[str, Any]], combined: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The quotes the model added to the rules' output (the rules' own are left unchanged)."""

    def key(q: Mapping[str, Any]) -> tuple[Any, ...]:
        return (q["start"], q["end"], q.get("speaker"), q.get("speaker_start"))

    by_id = {r["id"]: {key(q) for q in r["quotes"]} for r in rules}
    return [
        {**r, "quotes": [q for q in r["quotes"] if key(q) not in by_id.get(r["id"], set())]}
        for r in combined
    ]


def row(label: str, gold: Sequence[Mapping[str, Any]], predicted: Sequence[Any]) -> str:
    r = evaluate(gold, predicted)
    s, e = r["span_iou"], r["end_to_end"]
    types = r["recall_by_type"]
    mentions = r["e2e_recall_by_mention"]
    return (
        f"| {label} | {s['P']:.3f} / {s['R']:.3f} / **{s['F1']:.3f}** "
        f"| {e['P']:.3f} / {e['R']:.3f} / **{e['F1']:.3f}** "
        f"| {types.get('direct', 0):.2f} / {types.get('indirect', 0):.2f} / "
        f"{types.get('mixed', 0):.2f} "
        f"| {mentions.get('name', 0):.2f} / {mentions.get('pronoun', 0):.2f} / "
        f"{mentions.get('no_mention', 0):.2f} |"
    )


def added_row(
    label: str, gold: Sequence[Mapping[str, Any]], rules: Sequence[Any], combined: Sequence[Any]
) -> str:
    """Precision of what the model added, overall and per class (matched against any gold)."""
    extra = added(rules, combined)
    r = evaluate(gold, extra)
    parts = [f"all {r['quotes_pred']} @ {r['span_iou']['P']:.2f} / {r['end_to_end']['P']:.2f}"]
    for name in ATTRIBUTION_CLASSES:
        c = evaluate(gold, of_class(extra, name))
        parts.append(
            f"{name} {c['quotes_pred']} @ {c['span_iou']['P']:.2f} / {c['end_to_end']['P']:.2f}"
        )
    return f"| {label} | " + " | ".join(parts) + " |"


def dump(
    folder: Path,
    gold: Sequence[Mapping[str, Any]],
    systems: Mapping[str, Sequence[Mapping[str, Any]]],
) -> None:
    """The folds' gold and predictions as JSON lines, one record per article, as score.py
    reads them (predictions grouped by article id)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "gold.jsonl").open("w", encoding="utf-8") as out:
        for record in gold:
            out.write(json.dumps(record) + "\n")
    for label, predicted in systems.items():
        name = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") + ".jsonl"
        by_id: dict[str, list[Mapping[str, Any]]] = {}
        for record in predicted:
            by_id.setdefault(str(record["id"]), []).append(record)
        with (folder / name).open("w", encoding="utf-8") as out:
            for record in gold:
                quotes = [q for r in by_id.get(str(record["id"]), []) for q in r["quotes"]]
                out.write(json.dumps({"id": record["id"], "quotes": quotes}) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--thresholds", default="0.3,0.4,0.5")
    parser.add_argument(
        "--eval-folds", default="", help="Comma-separated folds to run the extractor on (all)."
    )
    parser.add_argument(
        "--cache", type=Path, default=Path("/tmp/quotegraph-attribution/polnear_train.spacy")
    )
    parser.add_argument(
        "--proposal-thresholds",
        default="",
        help="Extra systems at each threshold with other per-bounding thresholds, sets "
        "separated by ';' (e.g. 'rest=0.45,phrase=0.45;rest=0.5,phrase=0.5').",
    )
    parser.add_argument(
        "--no-rules",
        action="store_true",
        help="Skip the rules-only system (its row is the same for every model).",
    )
    parser.add_argument(
        "--dump",
        type=Path,
        default=None,
        help="Write the folds' gold (gold.jsonl) and each system's PolNeAR-view predictions "
        "(one JSON-lines file per system) to this folder, for error analysis with score.py.",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with (args.data / "polnear_train.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    articles = parse_articles(records, args.cache)
    fold = folds_of(len(articles), args.folds)
    print(
        f"{len(articles)} articles, {args.folds} folds, {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    thresholds = [float(t) for t in args.thresholds.split(",")]
    schemes: tuple[Scheme, ...] = ("polnear", "ggt")
    pooled: dict[Scheme, dict[str, list[dict[str, Any]]]] = {
        s: {} if args.no_rules else {"rules": []} for s in schemes
    }
    gold: list[Mapping[str, Any]] = []
    chosen = [int(k) for k in args.eval_folds.split(",") if k] or list(range(args.folds))
    for k in chosen:
        test = [a for i, a in enumerate(articles) if fold[i] == k]
        fitted = fold_model(articles, fold, k)
        weights, fold_lexicon = fitted.weights, fitted.lexicon
        print(candidate_report(fitted, examples(test, fold_lexicon), thresholds), flush=True)
        gold.extend({"id": a.id, "text": a.text, "quotes": gold_classes(a)} for a in test)
        systems = ([] if args.no_rules else [("rules", RULES_ONLY)]) + [
            (
                f"rules + model @{t}",
                AttributionModel(
                    weights,
                    t,
                    fold_lexicon,
                    fitted.proposal_thresholds,
                    fitted.speech_threshold,
                ),
            )
            for t in thresholds
        ]
        for variant in (v for v in args.proposal_thresholds.split(";") if v):
            limits = {
                **fitted.proposal_thresholds,
                **{k: float(x) for k, x in (p.split("=") for p in variant.split(","))},
            }
            systems += [
                (
                    f"rules + model @{t}, {variant}",
                    AttributionModel(weights, t, fold_lexicon, limits, fitted.speech_threshold),
                )
                for t in thresholds
            ]
        for label, model in systems:
            for scheme, records_out in predict(test, model, schemes).items():
                pooled[scheme].setdefault(label, []).extend(records_out)
        print(f"fold {k}: {len(test)} articles, {time.perf_counter() - started:.0f} s", flush=True)
    if args.dump is not None:
        dump(args.dump, gold, pooled["polnear"])
    for scheme in schemes:
        print()
        print(f"### --scheme {scheme} ({len(gold)} articles of folds {chosen})")
        print()
        print(
            "| system | span P / R / F1 | end-to-end P / R / F1 | recall direct / indirect / "
            "mixed | e2e recall name / pronoun / no mention |"
        )
        print("|---|---|---|---|---|")
        for label, predicted in pooled[scheme].items():
            print(row(label, gold, predicted))
        print()
        print("Per class (gold class from its cue), predicted/gold: span P/R/F1, e2e F1")
        print()
        for label, predicted in pooled[scheme].items():
            print(f"- {label}: {class_scores(gold, predicted)}")
        print()
        print("Added by the model: count @ span precision / end-to-end precision")
        print()
        print("| system | all | " + " | ".join(ATTRIBUTION_CLASSES) + " |")
        print("|---|---|" + "---|" * len(ATTRIBUTION_CLASSES))
        rules = pooled[scheme].get("rules", [])
        for label, predicted in pooled[scheme].items():
            if label != "rules" and "rules" in pooled[scheme]:
                print(added_row(label, gold, rules, predicted))


if __name__ == "__main__":
    main()
