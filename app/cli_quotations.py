"""`quotegraph quotations rebuild`: group every stored speech quote into quotations again."""

from __future__ import annotations

import time

import typer

from app.settings import Settings

quotations_cli = typer.Typer(
    help="Quotations: the same words of a speaker across articles.", no_args_is_help=True
)


@quotations_cli.command("rebuild")
def rebuild() -> None:
    """Regroup every attributed speech quote (after the matching rules changed, or a bulk load
    that bypassed ingest); one transaction."""
    from app.cli import _migrated_engine
    from app.db.engine import begin_write, make_session
    from app.services.quotations import rebuild_quotations

    engine = _migrated_engine(Settings())
    started = time.perf_counter()
    try:
        with make_session(engine) as session:
            begin_write(session)
            made = rebuild_quotations(session)
            session.commit()
    finally:
        engine.dispose()
    typer.echo(f"{made} quotations in {time.perf_counter() - started:.1f} s")
