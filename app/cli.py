"""The quotegraph command line: serve, db, schema, ingest, extract, eval, export."""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from app.settings import Settings

if TYPE_CHECKING:
    from app.extraction.jsonl import Scheme

cli = typer.Typer(
    help="quotegraph: who said what in the news, served over GraphQL.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
keys_cli = typer.Typer(
    help="API keys for mutations (ingest, delete, review).", no_args_is_help=True
)
cli.add_typer(keys_cli, name="keys")
train_cli = typer.Typer(
    help="Train the learned parts of extraction (needs the dev extra).", no_args_is_help=True
)
cli.add_typer(train_cli, name="train")


def _add_reviews() -> None:
    # In its own module: `quotegraph reviews import|export`.
    from app.cli_reviews import reviews_cli

    cli.add_typer(reviews_cli, name="reviews")


def _add_quotations() -> None:
    # In its own module: `quotegraph quotations rebuild`.
    from app.cli_quotations import quotations_cli

    cli.add_typer(quotations_cli, name="quotations")


SCHEMA_PATH = Path("schema") / "schema.graphql"


def main() -> None:
    cli()


def _fail(message: str) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


_PROCESSES_HELP = "Extraction processes [default: the CPUs this process may run on]."


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


def _processes(value: int | None) -> int:
    """--processes as given, or one extraction process per available CPU."""
    if value is None:
        return available_cpus()
    if value < 1:
        raise _fail(f"--processes must be at least 1, not {value}")
    return value


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
) -> None:
    """Start the GraphQL service (quote explorer at /, GraphiQL playground at /graphql)."""
    import uvicorn

    settings = Settings()
    _migrated_engine(settings).dispose()
    host = host or settings.host
    port = port or settings.port
    typer.secho(f"quotegraph explorer: http://{host}:{port}/", fg=typer.colors.GREEN)
    typer.secho(f"quotegraph playground: http://{host}:{port}/graphql", fg=typer.colors.GREEN)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings.workers,
        log_level="info",
    )


@db_cli.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Bring the database schema up to date (creates an SQLite file if needed)."""
    from app.db.engine import make_engine
    from app.db.migrations import current_revision, upgrade

    settings = Settings()
    make_engine(settings).dispose()  # creates the SQLite file's folder
    upgrade(settings.database_url, revision)
    engine = make_engine(settings)
    typer.echo(f"database at revision {current_revision(engine)}")
    engine.dispose()


@db_cli.command("current")
def db_current() -> None:
    """Print the database's migration revision and the code's."""
    from app.db.engine import make_engine
    from app.db.migrations import current_revision, head_revision

    settings = Settings()
    engine = make_engine(settings)
    typer.echo(
        f"database: {current_revision(engine)}  code: {head_revision(settings.database_url)}"
    )
    engine.dispose()


@cli.command()
def schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = SCHEMA_PATH,
) -> None:
    """Write the GraphQL schema (SDL) to schema/schema.graphql."""
    from app.graphql.schema import build_schema

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(build_schema().as_str() + "\n", encoding="utf-8")
    typer.echo(f"wrote {output}")


# --- ingest -----------------------------------------------------------------------------------


def _parse_date(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        raise ValueError("published_at must be an ISO 8601 date, not a number")
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _records(paths: list[Path]) -> Iterator[tuple[str, dict[str, Any] | Exception]]:
    """(where, record or the error that made it unreadable) for every input article."""
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix in (".txt", ".jsonl")
            )
            yield from _records(files)
        elif path.suffix == ".jsonl":
            yield from _jsonl_records(path)
        else:
            try:
                yield str(path), {"text": path.read_text(encoding="utf-8")}
            except (OSError, UnicodeDecodeError) as error:
                yield str(path), error


def _jsonl_records(path: Path) -> Iterator[tuple[str, dict[str, Any] | Exception]]:
    """Line by line, so memory stays flat; a bad line (not UTF-8, not JSON) fails alone."""
    try:
        handle = path.open("rb")
    except OSError as error:
        yield str(path), error
        return
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                if not isinstance(record, dict):
                    raise ValueError("each line must be a JSON object")
                yield f"{path}:{number}", record
            except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
                yield f"{path}:{number}", error


@cli.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Text files, folders, or JSONL files of "
            '{"text", "url", "title", "source", "published_at"}.',
            exists=True,
        ),
    ],
    processes: Annotated[int | None, typer.Option(help=_PROCESSES_HELP)] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per extraction batch.")] = 16,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue",
            help="Submit a job to the task queue (QUOTEGRAPH_BROKER_URL) for `quotegraph worker`"
            " processes instead of extracting here.",
        ),
    ] = False,
    wait: Annotated[
        bool, typer.Option(help="With --queue: follow the job until it is finished.")
    ] = False,
) -> None:
    """Ingest articles; already stored texts are skipped, bad inputs reported and skipped."""
    from rich.progress import Progress

    if queue:
        _submit_job(paths, wait=wait)
        return

    from app.extraction import extract_many
    from app.services.bulk import ingest_stream

    n_process = _processes(processes)

    settings = Settings()
    engine = _migrated_engine(settings)

    def articles() -> Iterator[tuple[str, Any]]:
        for where, record in _records(paths):
            if isinstance(record, Exception):
                yield where, record
                continue
            try:
                yield where, _article_input(record)
            except ValueError as error:
                yield where, error

    with Progress(transient=not sys.stderr.isatty()) as progress:
        task = progress.add_task("ingesting", total=_count_records(paths))
        report = ingest_stream(
            engine,
            articles(),
            extract_many=lambda texts: extract_many(
                texts, n_process=n_process, batch_size=batch_size
            ),
            max_chars=settings.max_article_chars,
            on_item=lambda: progress.advance(task),
        )
    engine.dispose()
    for failure in report.failures:
        typer.secho(f"skipped {failure}", fg=typer.colors.YELLOW, err=True)
    typer.echo(
        f"{report.stored} stored, {report.already_stored} already stored, {report.failed} failed"
    )


def _count_records(paths: list[Path]) -> int:
    """How many articles the inputs hold, for the progress bar (a cheap pass: lines, files)."""
    total = 0
    for path in paths:
        if path.is_dir():
            total += _count_records(
                [p for p in path.rglob("*") if p.is_file() and p.suffix in (".txt", ".jsonl")]
            )
        elif path.suffix == ".jsonl":
            try:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def _article_input(record: dict[str, Any]) -> Any:
    from app.services.ingest import ArticleInput

    return ArticleInput(
        text=str(record.get("text") or ""),
        url=record.get("url"),
        title=record.get("title"),
        source=record.get("source"),
        published_at=_parse_date(record.get("published_at")),
    )


def _submit_job(paths: list[Path], *, wait: bool) -> None:
    import time

    from rich.progress import Progress

    from app.db.engine import make_session
    from app.queue.tasks import enqueue, make_celery
    from app.services.jobs import create_job, job_progress

    settings = Settings()
    if not settings.broker_url:
        raise _fail(
            "--queue needs a broker: set QUOTEGRAPH_BROKER_URL "
            "(e.g. amqp://guest:guest@127.0.0.1:5672//)."
        )
    engine = _migrated_engine(settings)
    articles, unreadable = [], []
    for where, record in _records(paths):
        try:
            if isinstance(record, Exception):
                raise ValueError(f"unreadable: {record}")
            articles.append(_article_input(record))
        except ValueError as error:
            unreadable.append(f"{where}: {error}")
    for failure in unreadable:
        typer.secho(f"skipped {failure}", fg=typer.colors.YELLOW, err=True)
    with make_session(engine) as session:
        job_id, positions = create_job(session, articles, max_chars=settings.max_article_chars)
    enqueue(make_celery(settings), job_id, articles, positions)
    typer.echo(f"job {job_id}: {len(positions)} of {len(articles)} articles queued")
    if wait:
        with Progress() as progress, make_session(engine) as session:
            task = progress.add_task("ingesting", total=len(articles))
            while True:
                state = job_progress(session, job_id)
                session.rollback()
                progress.update(task, completed=state.done + state.failed)
                if state.pending == 0:
                    break
                time.sleep(0.5)
        typer.echo(f"job {job_id}: {state.done} done, {state.failed} failed")
        for refused in state.failures:
            typer.secho(f"  article {refused.position}: {refused.reason}", err=True)
    engine.dispose()


@cli.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Extraction processes in this worker.")] = 1,
) -> None:
    """Run a Celery extraction worker for queued ingest jobs (needs QUOTEGRAPH_BROKER_URL)."""
    from app.queue.tasks import make_celery

    settings = Settings()
    if not settings.broker_url:
        raise _fail("The worker needs a broker: set QUOTEGRAPH_BROKER_URL.")
    _migrated_engine(settings).dispose()
    celery = make_celery(settings)
    celery.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            f"--queues={settings.queue_name}",
            # A node name of its own: two workers named alike on one machine collide on
            # Celery's control queue and the second one dies.
            f"--hostname=quotegraph-{os.getpid()}@%h",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
        ]
    )


# --- extract and eval --------------------------------------------------------------------------


def _jsonl_lines(handle: TextIO) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, record) for each non-blank line, or (line number, what is wrong with it)."""
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"line {number}: not JSON ({error.msg} at column {error.colno})"
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield (
                number,
                f'line {number}: expected an object with a "text" string, like {{"id", "text"}}',
            )
            continue
        yield number, record


def _jsonl(handle: TextIO, path: Path | None = None) -> Iterator[dict[str, Any]]:
    """The records of a JSONL file; the first bad line stops the command with its number."""
    for _, record in _jsonl_lines(handle):
        if isinstance(record, str):
            raise _fail(f"{path or 'input'}: {record}")
        yield record


def _scheme(value: str) -> Scheme:
    from app.extraction.jsonl import SCHEMES

    for scheme in SCHEMES:
        if value == scheme:
            return scheme
    raise _fail(f"--scheme must be one of {', '.join(SCHEMES)}, not {value!r}")


@cli.command()
def extract(
    input: Annotated[
        Path | None, typer.Argument(help='JSONL of {"id", "text"}; standard input if omitted.')
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    processes: Annotated[int | None, typer.Option(help=_PROCESSES_HELP)] = None,
    scheme: Annotated[
        str, typer.Option(help="ggt: speech only; polnear: beliefs and evidence as well.")
    ] = "ggt",
) -> None:
    """Extract speakers, quotes and claims from JSONL articles; no database involved.

    Articles stream through (any input size); a line that is not a JSON object with a "text"
    string is reported on stderr with its number and skipped, and the exit status is then 1.
    """
    from app.extraction import extract_many
    from app.extraction.jsonl import prediction_record

    view = _scheme(scheme)
    n_process = _processes(processes)
    if input is not None and not input.is_file():
        raise _fail(f"{input}: no such file")
    source = input.open(encoding="utf-8") if input else sys.stdin
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    skipped = 0

    def records() -> Iterator[dict[str, Any]]:
        nonlocal skipped
        for _, record in _jsonl_lines(source):
            if isinstance(record, str):
                skipped += 1
                typer.secho(f"skipped {record}", fg=typer.colors.YELLOW, err=True)
            else:
                yield record

    try:
        ids, texts = itertools.tee(records())
        results = extract_many((str(r["text"]) for r in texts), n_process=n_process)
        for record, extraction in zip(ids, results, strict=True):
            line = prediction_record(str(record.get("id", "")), extraction, view)
            sink.write(json.dumps(line, ensure_ascii=False) + "\n")
    finally:
        if input:
            source.close()
        if output:
            sink.close()
    if skipped:
        raise typer.Exit(code=1)


@cli.command("eval")
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Annotated JSONL files (see shared/eval).")],
    processes: Annotated[int | None, typer.Option(help=_PROCESSES_HELP)] = None,
    scheme: Annotated[
        str, typer.Option(help="ggt: speech only; polnear: beliefs and evidence as well.")
    ] = "ggt",
    by_rule: Annotated[
        bool,
        typer.Option(
            "--by-rule", help="Also print each rule's quotes and precision (see `rules`)."
        ),
    ] = False,
    ablate: Annotated[
        list[str] | None,
        typer.Option(help="Rule id to switch off: prints the change in F1 (repeatable)."),
    ] = None,
) -> None:
    """Score the extractor on annotated JSONL, with the scorer's protocol, and time it."""
    import time

    from app.extraction.evaluation import (
        ablation,
        by_confidence,
        format_by_rule,
        format_report,
    )
    from app.extraction.evaluation import by_rule as rule_table
    from app.extraction.evaluation import evaluate as score
    from app.extraction.rules import UnknownRule, checked_disabled

    view = _scheme(scheme)
    n_process = _processes(processes)
    try:
        checked_disabled(ablate)
    except UnknownRule as exc:
        raise _fail(str(exc)) from exc
    for path in gold:
        if not path.is_file():
            raise _fail(f"{path}: no such file")
        with path.open(encoding="utf-8") as handle:
            records = list(_jsonl(handle, path))
        started = time.perf_counter()
        predicted = _predictions(records, view, n_process)
        seconds = time.perf_counter() - started
        words = sum(len(str(r["text"]).split()) for r in records)
        typer.echo(f"== {path} ({len(records)} articles)")
        report = score(records, predicted)
        report["by_confidence"] = by_confidence(records, predicted)
        typer.echo(format_report(report))
        typer.echo(
            f"throughput: {len(records) / seconds:.1f} articles/s, {words / seconds:,.0f} words/s "
            f"({n_process} processes, {seconds:.2f} s including model start-up)"
        )
        if by_rule:
            typer.echo(format_by_rule(rule_table(records, predicted)))
        for rule_id in ablate or []:
            without = score(records, _predictions(records, view, n_process, {rule_id}))
            change = ablation(report, without)
            typer.echo(
                f"without {rule_id}: quotes {change['quotes']:+d}, span F1 "
                f"{change['span_f1']:+.4f}, end-to-end F1 {change['e2e_f1']:+.4f}"
            )


def _predictions(
    records: list[dict[str, Any]],
    view: Scheme,
    processes: int,
    disabled: set[str] | None = None,
) -> list[dict[str, Any]]:
    """The prediction record of each article, extracted with the given rules switched off."""
    from app.extraction import extract_many
    from app.extraction.jsonl import prediction_record

    return [
        prediction_record(str(r.get("id", "")), extraction, view)
        for r, extraction in zip(
            records,
            extract_many(
                (str(r["text"]) for r in records), n_process=processes, disabled=disabled or ()
            ),
            strict=True,
        )
    ]


@cli.command("rules")
def list_rules(
    stage: Annotated[str | None, typer.Option(help="Only this stage's rules.")] = None,
) -> None:
    """List the extraction rules: id, stage, confidence and the example each exists for."""
    import app.extraction.pipeline  # noqa: F401  (declares the rules)
    from app.extraction.rules import RULES

    for declared in RULES.values():
        if stage is not None and declared.stage != stage:
            continue
        sure = "-" if declared.confidence is None else f"{declared.confidence:.2f}"
        kind = " (filter)" if declared.filter else ""
        typer.echo(f"{declared.id:<28} {declared.stage:<9} {sure:>5}{kind}  {declared.example}")


# --- claims model ------------------------------------------------------------------------------


@train_cli.command("claims")
def train_claims(
    data: Annotated[
        Path, typer.Option(help="Folder with claimbuster_train.jsonl and/or clef2019_train.jsonl.")
    ] = Path("../shared/eval"),
    out: Annotated[Path | None, typer.Option(help="Write weights and card here.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the folds and the solver.")] = 13,
    folds: Annotated[int, typer.Option(help="Cross-validation folds.")] = 5,
) -> None:
    """Cross-validate and train the check-worthiness model; write weights and model card.

    The same data and seed give the same weights, byte for byte. Parsed features are cached
    under the temporary folder, so a second run skips the spaCy parse.
    """
    from dataclasses import replace

    from app.extraction.claims_model import MODEL_DIR

    try:
        from app.extraction.training.claims import Params, train
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise _fail(f"training needs the dev extra (scikit-learn): {exc}") from exc
    if not data.is_dir():
        raise _fail(f"{data}: no such folder")
    try:
        result = train(data, out or MODEL_DIR, replace(Params(), seed=seed), folds=folds)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps(result.figures))
    typer.echo(f"wrote {result.weights} ({result.size:,} bytes, sha256 {result.sha256})")
    typer.echo(f"wrote {result.card}")


@cli.command("eval-claims")
def eval_claims(
    gold: Annotated[Path, typer.Argument(help='JSONL of {"id", "text"[, "label", "group"]}.')],
    predictions: Annotated[
        Path | None, typer.Option(help='Write {"id", "score", "checkworthy"} lines here.')
    ] = None,
) -> None:
    """Score each line's text as one claim candidate with the shipped model.

    Prints the figures of shared/eval/score_claims.py (P/R/F1 at the shipped threshold, ROC
    AUC, MAP over groups) when the lines carry labels, and sentences per second.
    """
    import time

    from app.extraction.claims_eval import figures
    from app.extraction.claims_model import ModelError, shipped_model
    from app.extraction.nlp import get_nlp

    if not gold.is_file():
        raise _fail(f"{gold}: no such file")
    with gold.open(encoding="utf-8") as handle:
        records = list(_jsonl(handle, gold))
    try:
        model = shipped_model()
    except ModelError as exc:
        raise _fail(str(exc)) from exc
    nlp = get_nlp()
    started = time.perf_counter()
    scored: dict[str, tuple[float, bool]] = {}
    texts = [str(r.get("text", "")) for r in records]
    # Tags, entities and token vectors are all the model reads; the parser changes none of them.
    skip = [name for name in ("parser", "lemmatizer") if name in nlp.pipe_names]
    with nlp.select_pipes(disable=skip):
        for record, doc in zip(records, nlp.pipe(texts, batch_size=64), strict=True):
            score = model.score(doc[:], doc.text)
            scored[str(record.get("id", ""))] = (score, score >= model.threshold)
    seconds = time.perf_counter() - started
    if predictions is not None:
        with predictions.open("w", encoding="utf-8") as sink:
            for record in records:
                score, flag = scored[str(record.get("id", ""))]
                line = {"id": record.get("id"), "score": round(score, 6), "checkworthy": flag}
                sink.write(json.dumps(line) + "\n")
    labelled = [r for r in records if r.get("label") is not None]
    if labelled:
        typer.echo(json.dumps(figures(labelled, scored, model.threshold), indent=1))
    rate = len(records) / seconds if seconds > 0 else float("inf")
    typer.echo(f"{len(records)} sentences in {seconds:.2f} s: {rate:,.0f} sentences/s")


def train_attribution(
    data: Annotated[
        Path, typer.Option(help="Folder holding polnear_train.jsonl (PolNeAR's training split).")
    ] = Path("../shared/eval"),
    output: Annotated[
        Path | None, typer.Option(help="Model folder; the shipped one if omitted.")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Keep the training parses here (outside the repo).")
    ] = None,
) -> None:
    """Fit the attribution model on PolNeAR's training split: deterministic, same bytes from
    the same data; writes the JSON weights and their sha256 on the model card."""
    from app.extraction.learned.model import MODEL_DIR
    from app.extraction.learned.train import train, write_model

    source = data / "polnear_train.jsonl" if data.is_dir() else data
    if not source.is_file():
        raise _fail(f"{source}: no such file")
    with source.open(encoding="utf-8") as handle:
        records = list(_jsonl(handle, source))
    digest = write_model(output or MODEL_DIR, train(records, cache))
    typer.echo(f"trained on {len(records)} articles of {source}; sha256 {digest}")


train_cli.command("attribution")(train_attribution)


# --- export ------------------------------------------------------------------------------------


def _export_classes(classes: list[str] | None) -> tuple[str, ...]:
    from app.extraction.classes import ATTRIBUTION_CLASSES
    from app.services.queries import DEFAULT_CLASSES

    if not classes:
        return DEFAULT_CLASSES
    unknown = [c for c in classes if c not in ATTRIBUTION_CLASSES]
    if unknown:
        raise typer.BadParameter(
            f"{unknown[0]!r} is not an attribution class; use " + ", ".join(ATTRIBUTION_CLASSES),
            param_hint="--class",
        )
    return tuple(dict.fromkeys(classes))


@cli.command()
def export(
    speaker: Annotated[
        list[str] | None,
        typer.Option(help="Only this speaker (name or alias); repeat for several."),
    ] = None,
    format: Annotated[
        str,
        typer.Option(
            help="parquet, csv or jsonl (the --what dataset); archive: every record, for "
            "`quotegraph import`; claimreview: fact-checks with their claims as ClaimReview "
            "JSON-LD."
        ),
    ] = "jsonl",
    what: Annotated[
        str, typer.Option(help="quotes, quotations, speakers, claims or reviews.")
    ] = "quotes",
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    source: Annotated[
        str | None, typer.Option(help="Only from this outlet (quotes, claims).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="quotes: direct, indirect or mixed; speakers: person, organisation."),
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only items dated at or after this (ISO 8601, UTC).")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(help="Only items dated before this (ISO 8601, UTC).")
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Only quotes/claims/reviews with these words.")
    ] = None,
    min_confidence: Annotated[
        float | None, typer.Option(help="quotes: at least this attribution confidence.")
    ] = None,
    min_occurrences: Annotated[
        int | None, typer.Option(help="quotations: reported at least this often.")
    ] = None,
    min_score: Annotated[float | None, typer.Option(help="claims: at least this score.")] = None,
    publisher: Annotated[
        str | None, typer.Option(help="reviews: by this fact-checker or site.")
    ] = None,
    rating: Annotated[str | None, typer.Option(help="reviews: with this verdict.")] = None,
    classes: Annotated[
        list[str] | None,
        typer.Option(
            "--class",
            help="Attribution classes to export, repeatable: speech (the default), belief, "
            "evidence.",
        ),
    ] = None,
) -> None:
    """Export a dataset (quotes by default, newest first) with the API's filters; every row
    carries its article's URL, content hash, extractor version and provenance. Streams in
    batches: memory stays flat on any corpus size."""
    from app.db.engine import make_engine, make_session
    from app.services import datasets, export_files
    from app.services.archive import export_archive
    from app.services.errors import ServiceError

    names = tuple(speaker or ())
    if format == "claimreview":
        from app.cli_reviews import reviews_export

        reviews_export(
            output=output, speaker=names[0] if names else None, all_reviews=False, jsonl=False
        )
        return
    if format not in (*export_files.FORMATS, "archive"):
        raise typer.BadParameter(
            "format must be parquet, csv, jsonl, archive or claimreview", param_hint="--format"
        )
    if what not in datasets.WHATS:
        raise typer.BadParameter(f"what must be one of {', '.join(datasets.WHATS)}")
    if format == "archive" and (names or classes):
        raise typer.BadParameter("an archive holds everything", param_hint="--speaker")
    if format == "parquet" and output is None and sys.stdout.isatty():
        raise typer.BadParameter("Parquet is binary: give --output FILE", param_hint="--output")
    where = datasets.ExportFilter(
        speaker=names[0] if len(names) == 1 else None,
        speakers=names if len(names) > 1 else None,
        source=source,
        kind=kind,
        since=since,
        until=until,
        search=search,
        min_confidence=min_confidence,
        min_occurrences=min_occurrences,
        min_score=min_score,
        publisher=publisher,
        rating=rating,
        classes=_export_classes(classes),
    )
    settings = Settings()
    engine = make_engine(settings)
    sink: Any = output.open("wb") if output else sys.stdout.buffer
    try:
        with make_session(engine) as session:
            if format == "archive":
                for record in export_archive(session):
                    sink.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            else:
                export_files.write(
                    datasets.batches(session, what, where),
                    datasets.COLUMNS[what],
                    format,
                    sink,
                )
    except ServiceError as error:
        raise _fail(error.message) from None
    finally:
        sink.flush()
        if output:
            sink.close()
        engine.dispose()


@cli.command("import")
def import_(
    archive: Annotated[
        Path, typer.Argument(help="A file from `quotegraph export --format archive`.")
    ],
) -> None:
    """Load an archive; articles already stored are skipped, so it can be run again."""
    from app.db.engine import make_session
    from app.services.archive import import_archive
    from app.services.errors import ServiceError

    settings = Settings()
    engine = _migrated_engine(settings)
    try:
        with archive.open(encoding="utf-8") as handle, make_session(engine) as session:
            counts = import_archive(session, (json.loads(line) for line in handle if line.strip()))
    except (ServiceError, ValueError, KeyError) as error:
        raise _fail(f"cannot import {archive}: {getattr(error, 'message', error)}") from None
    finally:
        engine.dispose()
    typer.echo(
        f"{counts.articles} articles imported ({counts.skipped_articles} already stored), "
        f"{counts.speakers} new speakers, {counts.quotes} quotes, {counts.claims} claims, "
        f"{counts.reviews} reviews"
    )


@cli.command()
def reextract(
    article_ids: Annotated[
        list[int] | None,
        typer.Argument(help="Ids of the articles; none: every article (see --outdated)."),
    ] = None,
    outdated: Annotated[
        bool,
        typer.Option(help="Only articles that another extractor version made."),
    ] = False,
) -> None:
    """Extract stored articles again with this version's extractor; editors' corrections
    (merges, re-attributions, edited spans, not-a-quote marks, speaker fields) are kept."""
    from app.db.engine import make_session
    from app.extraction import EXTRACTOR_VERSION, extract
    from app.services.errors import ServiceError
    from app.services.reextract import article_ids as stored_ids
    from app.services.reextract import reextract_article

    engine = _migrated_engine(Settings())
    try:
        with make_session(engine) as session:
            ids = article_ids or stored_ids(
                session, except_version=EXTRACTOR_VERSION if outdated else None
            )
            for article_id in ids:
                done = reextract_article(session, article_id, extract)
                typer.echo(
                    f"article {done.article_id}: {done.old_version} -> {done.new_version}, "
                    f"{done.quotes} quotes"
                )
    except ServiceError as error:
        raise _fail(error.message) from None
    finally:
        engine.dispose()


@keys_cli.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    role: Annotated[
        str,
        typer.Option(
            help="reader (reads when they are private), editor (also ingest and curate) or "
            "admin (also deletes, imports and keys)."
        ),
    ] = "editor",
) -> None:
    """Create an API key; it is printed once and only its hash is stored."""
    from app.db.engine import make_session
    from app.services.errors import InvalidInput
    from app.services.keys import check_role, create_key

    try:
        check_role(role)
    except InvalidInput as error:
        raise _fail(error.message) from None
    engine = _migrated_engine(Settings())
    with make_session(engine) as session:
        key, plain = create_key(session, name, role=role)
    engine.dispose()
    typer.echo(plain)
    typer.secho(
        f"{key.role} key {key.id} ({key.prefix}) for {key.name!r}: send it as "
        "`Authorization: Bearer <key>`; it cannot be shown again.",
        err=True,
    )


@keys_cli.command("list")
def keys_list() -> None:
    """List API keys (prefixes only)."""
    from app.db.engine import make_session
    from app.services.keys import list_keys

    engine = _migrated_engine(Settings())
    with make_session(engine) as session:
        for key in list_keys(session):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            typer.echo(
                f"{key.id}\t{key.prefix}\t{key.name}\t{key.role}\t"
                f"{key.created_at:%Y-%m-%d}\t{state}"
            )
    engine.dispose()


@keys_cli.command("revoke")
def keys_revoke(key: Annotated[str, typer.Argument(help="Key id or prefix.")]) -> None:
    """Revoke an API key; requests using it are refused from now on."""
    from app.db.engine import make_session
    from app.services.errors import NotFound
    from app.services.keys import revoke_key

    engine = _migrated_engine(Settings())
    try:
        with make_session(engine) as session:
            revoked = revoke_key(session, key)
    except NotFound as error:
        raise _fail(error.message) from None
    finally:
        engine.dispose()
    typer.echo(f"revoked key {revoked.id} ({revoked.prefix})")


def _migrated_engine(settings: Settings) -> Any:
    from app.db.engine import make_engine
    from app.db.migrations import DatabaseBehind, ensure_up_to_date

    engine = make_engine(settings)
    try:
        ensure_up_to_date(engine, settings.database_url)
    except DatabaseBehind as behind:
        engine.dispose()
        raise _fail(str(behind)) from None
    return engine


_add_reviews()
_add_quotations()

if __name__ == "__main__":
    main()
