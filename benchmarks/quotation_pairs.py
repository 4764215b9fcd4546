"""Precision and recall of the quotation rule (app/services/quotation_text.py) on invented
pairs of quote texts of one speaker, at several thresholds, and the errors at the shipped one.

    .venv/bin/python benchmarks/quotation_pairs.py [benchmarks/data/quotation_pairs.jsonl]

The pairs (benchmarks/data/quotation_pairs.jsonl, written for this; no real quotes) are the
same quotation in another case and punctuation, trimmed at either end, with a typo or a filler
word; and different ones: a negation added or removed, a figure changed, a three-word fragment,
another statement on the same topic, unrelated statements.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from app.services.quotation_text import THRESHOLD, similarity, text_key

DATA = Path(__file__).parent / "data" / "quotation_pairs.jsonl"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    scored = [(similarity(text_key(p["a"]), text_key(p["b"])), p) for p in pairs]
    positives = sum(p["same"] for p in pairs)
    print(f"{len(pairs)} pairs, {positives} the same quotation, {len(pairs) - positives} not")
    print("threshold  precision  recall   tp  fp  fn")
    for threshold in (0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.95, 0.98):
        tp = sum(s >= threshold and p["same"] for s, p in scored)
        fp = sum(s >= threshold and not p["same"] for s, p in scored)
        fn = sum(s < threshold and p["same"] for s, p in scored)
        precision = tp / (tp + fp) if tp + fp else 1.0
        mark = "  <- shipped" if threshold == THRESHOLD else ""
        recall = tp / positives
        print(f"{threshold:9.2f}  {precision:9.3f}  {recall:6.3f}  {tp:3d} {fp:3d} {fn:3d}{mark}")
    errors = Counter()
    print(f"\nerrors at the shipped threshold {THRESHOLD}:")
    for score, pair in scored:
        if (score >= THRESHOLD) != pair["same"]:
            errors[pair["kind"]] += 1
            print(f"  {pair['kind']:<22} {score:.3f}  {pair['a']!r} / {pair['b']!r}")
    print("by kind:", dict(errors) or "none")


if __name__ == "__main__":
    main()
