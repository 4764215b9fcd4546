"""`quotegraph reviews`: import fact-checks (ClaimReview JSON-LD) and export them again."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from app.settings import Settings

reviews_cli = typer.Typer(
    help="Fact-checks: import ClaimReview JSON-LD and link it to claims; export it again.",
    no_args_is_help=True,
)


def _engine(settings: Settings) -> Any:
    from app.cli import _migrated_engine

    return _migrated_engine(settings)


@reviews_cli.command("import")
def reviews_import(
    path: Annotated[
        Path,
        typer.Argument(
            help="A file or a folder of them: JSON (an object, an array, a @graph document or "
            "a Fact Check Tools result), JSONL feeds, or HTML pages with "
            '<script type="application/ld+json">.',
            exists=True,
        ),
    ],
) -> None:
    """Store fact-checks and link each to the claims it checks. Refused records are reported
    by position and skipped; the same review again changes nothing."""
    from app.db.engine import make_session
    from app.services.review_documents import read_path
    from app.services.reviews import import_reviews

    read = read_path(path)
    engine = _engine(Settings())
    try:
        with make_session(engine) as session:
            report = import_reviews(session, read.reviews)
    finally:
        engine.dispose()
    for failure in [*read.failures, *report.failures]:
        typer.secho(f"skipped {failure.position}: {failure.message}", fg="yellow", err=True)
    typer.echo(
        f"{report.created} reviews imported, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(read.failures) + len(report.failures)} skipped; "
        f"{report.automatic} claims linked automatically, {report.suggested} suggested"
    )


def write_reviews(rows: Iterable[dict[str, Any]], sink: TextIO, *, jsonl: bool) -> int:
    """ClaimReview objects as one JSON-LD @graph document, or one object a line."""
    count = 0
    if jsonl:
        for row in rows:
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    sink.write('{"@context": "https://schema.org", "@graph": [')
    for row in rows:
        row = {k: v for k, v in row.items() if k != "@context"}
        sink.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        count += 1
    sink.write("\n]}\n")
    return count


@reviews_cli.command("export")
def reviews_export(
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Only reviews of claims by this name or alias.")
    ] = None,
    all_reviews: Annotated[
        bool, typer.Option("--all", help="Also reviews linked to no stored claim.")
    ] = False,
    jsonl: Annotated[bool, typer.Option(help="One ClaimReview object a line.")] = False,
) -> None:
    """Write reviews as schema.org ClaimReview JSON-LD (a @graph document), each with the
    claims quotegraph linked to it as appearances: `reviews import` reads it back."""
    from app.db.engine import make_session
    from app.services.queries import speaker_ids_for_name
    from app.services.reviews import export_reviews

    engine = _engine(Settings())
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with make_session(engine) as session:
            ids = None if speaker is None else speaker_ids_for_name(session, speaker)
            count = write_reviews(
                export_reviews(session, speaker_ids=ids, everything=all_reviews),
                sink,
                jsonl=jsonl,
            )
    finally:
        if output:
            sink.close()
        engine.dispose()
    typer.secho(f"{count} reviews written", err=True)
