"""Peak memory (RSS) of `quotegraph export` against the number of rows it writes: streaming
in batches keeps it flat, whatever the size of the database.

    .venv/bin/python benchmarks/export_memory.py --database-url sqlite:////tmp/qg_1m.db \\
        [--format parquet] [--what quotes]

Runs the export three times in a fresh process each (almost nothing, the last year, everything:
on generate.py's data about 0, 100,000 and 1,000,000 quotes), reads the process's peak RSS
(VmHWM in /proc) and prints rows, seconds, peak RSS and file size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

CLI = Path(sys.executable).parent / "quotegraph"
RANGES = (
    ("almost nothing", ["--until", "2016-01-02"]),
    ("the last year", ["--since", "2025-01-01"]),
    ("everything", []),
)


def peak_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(url: str, format: str, what: str, extra: list[str], output: Path) -> tuple[float, int]:
    command = [str(CLI), "export", "--format", format, "--what", what, "--output", str(output)]
    started = time.perf_counter()
    process = subprocess.Popen([*command, *extra], env={**os.environ, "DATABASE_URL": url})
    peak = 0
    while process.poll() is None:
        peak = max(peak, peak_rss_kib(process.pid))
        time.sleep(0.05)
    if process.returncode != 0:
        raise SystemExit(f"export failed: {' '.join(command + extra)}")
    return time.perf_counter() - started, peak


def rows_in(path: Path, format: str) -> int:
    if format == "parquet":
        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    return lines - 1 if format == "csv" else lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--format", default="parquet", choices=("parquet", "csv", "jsonl"))
    parser.add_argument("--what", default="quotes")
    args = parser.parse_args()
    print(f"{'range':<16}{'rows':>10}{'seconds':>10}{'peak RSS MiB':>14}{'file MiB':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for label, extra in RANGES:
            output = Path(folder) / f"export.{args.format}"
            seconds, peak = run(args.database_url, args.format, args.what, extra, output)
            rows = rows_in(output, args.format)
            size = output.stat().st_size / 2**20
            print(f"{label:<16}{rows:>10,}{seconds:>10.1f}{peak / 1024:>14.0f}{size:>10.1f}")


if __name__ == "__main__":
    main()
