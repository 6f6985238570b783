"""Bench: validate synthetic DfE returns at national and at one council's size, without a database.

    .venv/bin/python bench/validate.py [--size N] [--size-903 N] [--council-size N] [--year 2025-26]

The defaults are a national year: a CIN census of about 650,000 referrals (565,000 children), and an
SSDA903 year for 115,000 looked-after children with their episodes, reviews and missing episodes; then the
same at one council's size (4,000 children). Generating the files is not timed. Each validation runs in its
own process, so its peak memory (max resident set size) is its own. Prints one JSON object per line; the
headline — the national CIN and 903 validations' seconds together — comes last.
Targets: CIN under 60 s, 903 under 20 s, peak memory under 8 GB each; a council's year under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def emit(metric: str, value: float, size: int, **extra: object) -> None:
    record = {"bench": "validate", "metric": metric, "value": round(value, 3), "size": size, "db": "none"}
    print(json.dumps({**record, **extra}), flush=True)


def _measure(return_: str, path: str, year: str) -> None:
    """Run in a child process: validate one return and print its timings and peak memory as JSON."""
    from outstanding.returns.validate import validate_903, validate_cin

    began = time.perf_counter()
    result = validate_cin(path, year) if return_ == "cin" else validate_903(path, year)
    seconds = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "read_seconds": result.read_seconds,
                "rules_seconds": result.rule_seconds,
                "rules": result.rules_run,
                "failed_rules": result.failed_rules,
                "findings": result.findings.height,
                "errors": int((result.findings["type"] == "error").sum()) if result.findings.height else 0,
                "rows": {k: v.height for k, v in result.read.tables.items()},
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes
            }
        )
    )


def _validate(return_: str, path: Path, year: str) -> dict:
    out = subprocess.run(  # noqa: S603 - this script itself, with arguments it built
        [sys.executable, __file__, "--measure", return_, str(path), "--year", year],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run(label: str, cin_children: int, children_903: int, year: str, folder: Path) -> tuple[dict, dict]:
    from outstanding.codes import year_start
    from outstanding.returns.synthetic import write_903_folder, write_cin_xml

    start = year_start(year)
    cin_path = write_cin_xml(folder / f"{label}-cin.xml", cin_children, year=start, seed=7)
    ssda_folder = write_903_folder(folder / f"{label}-903", children_903, year=start, seed=7)
    cin = _validate("cin", cin_path, year)
    emit(
        f"{label}_cin_seconds",
        cin["seconds"],
        cin_children,
        referrals=cin["rows"].get("CINdetails"),
        file_mb=round(cin_path.stat().st_size / 1e6),
        read_seconds=round(cin["read_seconds"], 3),
        rules_seconds=round(cin["rules_seconds"], 3),
        cpu_seconds=round(cin["cpu_seconds"], 3),
        rules=cin["rules"],
        findings=cin["findings"],
        peak_mb=round(cin["peak_mb"]),
    )
    ssda = _validate("903", ssda_folder, year)
    emit(
        f"{label}_903_seconds",
        ssda["seconds"],
        children_903,
        episodes=ssda["rows"].get("Episodes"),
        reviews=ssda["rows"].get("Reviews"),
        missing=ssda["rows"].get("Missing"),
        read_seconds=round(ssda["read_seconds"], 3),
        rules_seconds=round(ssda["rules_seconds"], 3),
        cpu_seconds=round(ssda["cpu_seconds"], 3),
        rules=ssda["rules"],
        findings=ssda["findings"],
        peak_mb=round(ssda["peak_mb"]),
    )
    for name, result in (("cin", cin), ("903", ssda)):
        if result["failed_rules"]:
            print(f"rules that raised in {label} {name}: {result['failed_rules']}", file=sys.stderr)
    return cin, ssda


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The synthetic census has about 1.15 episodes of need per child, so 565,000 children give the national
    # year's 650,000 referrals (the "650,000 referrals for about 500,000 children").
    parser.add_argument("--size", type=int, default=565_000, help="children in the national CIN census")
    parser.add_argument("--size-903", type=int, default=115_000, help="children in the national SSDA903")
    parser.add_argument("--council-size", type=int, default=4_000, help="children in one council's returns")
    parser.add_argument("--year", default="2025-26")
    parser.add_argument("--measure", nargs=2, metavar=("RETURN", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(args.measure[0], args.measure[1], args.year)
        return 0

    with tempfile.TemporaryDirectory(prefix="outstanding-bench-") as tmp:
        # A council looks after about one child in eight of those it works with in a year.
        council_903 = max(1, args.council_size // 8)
        council_cin, council_ssda = _run("council", args.council_size, council_903, args.year, Path(tmp))
        emit(
            "council_seconds",
            council_cin["seconds"] + council_ssda["seconds"],
            args.council_size,
            size_903=council_903,
        )
        for f in Path(tmp).iterdir():  # free the disk before the national files
            if f.is_file():
                f.unlink()
        cin, ssda = _run("national", args.size, args.size_903, args.year, Path(tmp))
    emit(
        "national_seconds",
        cin["seconds"] + ssda["seconds"],
        args.size,
        size_903=args.size_903,
        cin_seconds=round(cin["seconds"], 3),
        ssda903_seconds=round(ssda["seconds"], 3),
        peak_mb=round(max(cin["peak_mb"], ssda["peak_mb"])),
        cores=os.cpu_count(),
        load_average=round(os.getloadavg()[0], 2),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
