"""Bench: validate a synthetic national-scale CIN census file and SSDA903 year, without a database.

    .venv/bin/python bench/returns_validate.py [--size N] [--size-903 N] [--year 2025-26]

Prints one JSON object per line; the headline (CIN + 903 validation seconds together) comes last.
Generation time is not counted: only reading, typing and rules. CIN reading is split into wall-clock and
CPU seconds (all threads), and the load average is given, because a shared machine's other work
lengthens wall-clock time but not CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from outstanding.codes import year_start
from outstanding.returns.synthetic import write_903_folder, write_cin_xml
from outstanding.returns.validate import validate_903, validate_cin


def emit(metric: str, value: float, size: int, **extra: object) -> None:
    record = {
        "bench": "returns_validate",
        "metric": metric,
        "value": round(value, 3),
        "size": size,
        "db": "none",
    }
    print(json.dumps({**record, **extra}), flush=True)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # England's CIN census counts about 650,000 episodes of need a year; looked-after children about 110,000.
    parser.add_argument("--size", type=int, default=650_000, help="children in the CIN census file")
    parser.add_argument("--size-903", type=int, default=None, help="children in the 903 (default size / 6)")
    parser.add_argument("--year", default="2025-26")
    args = parser.parse_args()
    size_903 = args.size_903 or max(1, args.size // 6)
    year = year_start(args.year)
    with tempfile.TemporaryDirectory() as tmp:
        cin_path = write_cin_xml(Path(tmp) / "cin.xml", args.size, year=year, seed=7)
        folder = write_903_folder(Path(tmp) / "903", size_903, year=year, seed=7)

        began = time.perf_counter()
        cpu_before = _cpu_seconds()
        cin = validate_cin(cin_path, args.year)
        cin_cpu = _cpu_seconds() - cpu_before
        cin_seconds = time.perf_counter() - began
        emit("cin_read_seconds", cin.read_seconds, args.size, file_mb=round(cin_path.stat().st_size / 1e6))
        emit("cin_cpu_seconds", cin_cpu, args.size, cores=os.cpu_count())
        emit(
            "cin_rules_seconds",
            cin.rule_seconds,
            args.size,
            rules=cin.rules_run,
            findings=cin.findings.height,
        )
        emit("cin_seconds", cin_seconds, args.size)

        began = time.perf_counter()
        ssda = validate_903(folder, args.year)
        ssda_seconds = time.perf_counter() - began
        emit(
            "903_rules_seconds",
            ssda.rule_seconds,
            size_903,
            rules=ssda.rules_run,
            findings=ssda.findings.height,
        )
        emit("903_seconds", ssda_seconds, size_903)
        emit(
            "seconds",
            cin_seconds + ssda_seconds,
            args.size,
            size_903=size_903,
            load_average=round(os.getloadavg()[0], 2),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
