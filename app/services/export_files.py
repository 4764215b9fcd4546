"""Writing exported rows as Parquet, CSV or JSON Lines, one batch at a time (memory stays flat).

The Parquet schema comes from the dataset's typed columns: int64, float64, UTF-8 strings, UTC
timestamps (microseconds), JSON values as JSON text; each batch is one row group. pandas
(`pd.read_parquet`) and polars (`pl.read_parquet`) read the files as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from app.services.datasets import Columns, Row, json_text, plain

FORMATS = ("parquet", "csv", "jsonl")
MEDIA_TYPES = {
    "parquet": "application/vnd.apache.parquet",
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
}
_ARROW_TYPES = {
    "int": pa.int64(),
    "float": pa.float64(),
    "str": pa.string(),
    "json": pa.string(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def arrow_schema(columns: Columns) -> pa.Schema:
    return pa.schema([pa.field(name, _ARROW_TYPES[kind]) for name, kind in columns])


def arrow_table(rows: list[Row], columns: Columns, schema: pa.Schema) -> pa.Table:
    data: dict[str, list[Any]] = {}
    for name, kind in columns:
        values = [row.get(name) for row in rows]
        data[name] = [json_text(v) for v in values] if kind == "json" else values
    return pa.Table.from_pydict(data, schema=schema)


class _Chunks(io.RawIOBase):
    """A write-only file that keeps what is written until it is taken (for streaming)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def parquet_chunks(batches: Iterable[list[Row]], columns: Columns) -> Iterator[bytes]:
    """A Parquet file as pieces of bytes: one row group per batch, sent as soon as written."""
    schema = arrow_schema(columns)
    sink = _Chunks()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        for rows in batches:
            if rows:
                writer.write_table(arrow_table(rows, columns, schema))
            yield sink.take()
    finally:
        writer.close()
    yield sink.take()


def text_chunks(batches: Iterable[list[Row]], columns: Columns, format: str) -> Iterator[bytes]:
    """CSV (with a header line) or JSON Lines, one piece per batch."""
    names = [name for name, _ in columns]
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, names)
        writer.writeheader()
        for rows in batches:
            for row in rows:
                flat = plain(row, columns)
                for name, kind in columns:
                    if kind == "json":
                        flat[name] = json_text(flat[name])
                writer.writerow(flat)
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue().encode("utf-8")
        return
    for rows in batches:
        yield "".join(
            json.dumps(plain(row, columns), ensure_ascii=False) + "\n" for row in rows
        ).encode("utf-8")


def chunks(batches: Iterable[list[Row]], columns: Columns, format: str) -> Iterator[bytes]:
    if format == "parquet":
        return parquet_chunks(batches, columns)
    return text_chunks(batches, columns, format)


def write(batches: Iterable[list[Row]], columns: Columns, format: str, sink: IO[bytes]) -> None:
    for chunk in chunks(batches, columns, format):
        sink.write(chunk)
