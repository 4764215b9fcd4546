"""Check-worthiness figures of scored sentences, computed exactly as shared/eval/score_claims.py.

P/R/F1 of label 1 by each prediction's decision, ROC AUC (ties count half) and mean average
precision over groups (debates), ties ranked negatives first so a constant score earns nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any


def average_precision(ranked_labels: Sequence[int]) -> float:
    hits, total = 0, 0.0
    for i, y in enumerate(ranked_labels, 1):
        if y:
            hits += 1
            total += hits / i
    return total / hits if hits else 0.0


def mean_average_precision(
    scores: Sequence[float], labels: Sequence[int], groups: Sequence[str]
) -> float | None:
    by_group: dict[str, list[tuple[float, int]]] = {}
    for x, y, g in zip(scores, labels, groups, strict=True):
        by_group.setdefault(g, []).append((x, y))
    aps = [
        average_precision([y for _, y in sorted(v, key=lambda t: (-t[0], t[1]))])
        for v in by_group.values()
        if any(y for _, y in v)
    ]
    return sum(aps) / len(aps) if aps else None


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    pos = sorted(x for x, y in zip(scores, labels, strict=True) if y)
    neg = sorted(x for x, y in zip(scores, labels, strict=True) if not y)
    if not pos or not neg:
        return 0.0
    total = sum(
        bisect.bisect_left(neg, x)
        + 0.5 * (bisect.bisect_right(neg, x) - bisect.bisect_left(neg, x))
        for x in pos
    )
    return total / (len(pos) * len(neg))


def figures(
    gold: Sequence[Mapping[str, Any]],
    predictions: Mapping[str, tuple[float, bool]],
    threshold: float,
) -> dict[str, Any]:
    """The figures score_claims.py prints for gold lines and {id: (score, checkworthy)}."""
    rows = [
        (predictions.get(str(g["id"]), (0.0, False)), int(g["label"]), str(g.get("group", "")))
        for g in gold
    ]
    tp = sum(1 for (_, f), y, _ in rows if f and y)
    fp = sum(1 for (_, f), y, _ in rows if f and not y)
    fn = sum(1 for (_, f), y, _ in rows if not f and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    scores = [s for (s, _), _, _ in rows]
    labels = [y for _, y, _ in rows]
    groups = [g for _, _, g in rows]
    by_group: set[str] = {g for (_, _), y, g in rows if y}
    mean_ap = mean_average_precision(scores, labels, groups)
    return {
        "sentences": len(rows),
        "positives": sum(labels),
        "threshold": threshold,
        "P": round(p, 4),
        "R": round(r, 4),
        "F1": round(f1, 4),
        "AUC": round(roc_auc(scores, labels), 4),
        "MAP": None if mean_ap is None else round(mean_ap, 4),
        "groups": len(by_group),
    }
