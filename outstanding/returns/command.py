"""``outstanding validate``: the command-line face of the returns validator (no database needed)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_ERRORS = 1  # the return has validation errors
EXIT_UNUSABLE = 2  # bad arguments, or input that could not be read at all
_NAMES = {"cin": "CIN census", "903": "SSDA903"}


def register(subparsers: Any) -> None:
    """Add ``validate`` to the top-level command's subparsers."""
    validate = subparsers.add_parser(
        "validate",
        help="validate a DfE return (CIN census XML or SSDA903 CSV tables)",
        description="Validate a DfE return against the DfE's rules for a collection year.",
    )
    kinds = validate.add_subparsers(dest="kind", metavar="{cin,903,rules}")
    kinds.required = True

    def outputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("--year", required=True, help="collection year, e.g. 2025-26")
        p.add_argument("--json", metavar="FILE", help="write findings as JSON ('-' for standard output)")
        p.add_argument("--csv", metavar="FILE", help="write findings as CSV")
        p.add_argument("--excel", metavar="FILE", help="write findings as an Excel workbook (.xlsx)")
        p.add_argument("--quiet", action="store_true", help="no summary on the terminal")

    cin = kinds.add_parser("cin", help="validate a children in need census XML file")
    cin.add_argument("file", metavar="FILE.xml")
    outputs(cin)
    cin.set_defaults(handler=_validate_cin)

    ssda = kinds.add_parser("903", help="validate a folder of SSDA903 CSV tables")
    ssda.add_argument("folder", metavar="FOLDER")
    ssda.add_argument("--previous", metavar="FOLDER", help="last year's SSDA903 tables (some rules compare)")
    outputs(ssda)
    ssda.set_defaults(handler=_validate_903)

    rules = kinds.add_parser("rules", help="list the rules implemented for a return and year")
    rules.add_argument("--return", dest="return_", required=True, choices=["cin", "903"])
    rules.add_argument("--year", required=True, help="collection year, e.g. 2025-26")
    rules.add_argument("--json", action="store_true", help="print the list as JSON")
    rules.set_defaults(handler=_list_rules)

    synthetic = subparsers.add_parser(
        "synthetic",
        help="write synthetic DfE returns (never real children) for testing a validator or a data pipeline",
        description=(
            "Write a seeded synthetic CIN census (cin.xml) and SSDA903 (903/) for the same made-up children, "
            "clean under every rule unless errors are injected."
        ),
    )
    synthetic.add_argument("folder", metavar="FOLDER")
    synthetic.add_argument("--children", type=int, default=4000, help="children in need (default 4000)")
    synthetic.add_argument("--year", required=True, help="collection year, e.g. 2025-26")
    synthetic.add_argument("--seed", type=int, default=1)
    synthetic.add_argument(
        "--inject-cin", metavar="CODES", default="", help="CIN rule codes, comma-separated"
    )
    synthetic.add_argument(
        "--inject-903", metavar="CODES", default="", help="SSDA903 rule codes, comma-separated"
    )
    synthetic.set_defaults(handler=_write_synthetic)


def _fail(message: str) -> int:
    print(f"outstanding: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def _progress_bar(total: int, label: str) -> Any:
    from tqdm import tqdm

    # disable=None: a bar only when stderr is a terminal, so logs and pipes stay clean
    return tqdm(total=total, desc=label, unit="rule", disable=None, leave=False, file=sys.stderr)


def _report(validation: Any, args: argparse.Namespace, source: str) -> int:
    from outstanding.returns import findings as F

    found = validation.findings
    meta = {"source": source, **validation.meta()}
    try:
        if args.json:
            if args.json == "-":
                F.write_json(found, sys.stdout, meta)
                sys.stdout.write("\n")
            else:
                F.write_json(found, args.json, meta)
        if args.csv:
            F.write_csv(found, args.csv)
        if args.excel:
            F.write_excel(found, args.excel)
    except OSError as exc:
        return _fail(f"could not write output: {exc.strerror or exc} ({exc.filename})")
    if not args.quiet:
        title = (
            f"{_NAMES[validation.return_]} {validation.year.label}: {source}\n"
            f"{validation.rules_run} rules checked in {validation.rule_seconds:.1f}s "
            f"(read in {validation.read_seconds:.1f}s)"
        )
        out = sys.stderr if args.json == "-" else sys.stdout
        print(F.format_summary(found, title), file=out)
    if validation.read.fatal:
        return EXIT_UNUSABLE
    return EXIT_ERRORS if validation.has_errors else EXIT_OK


def _validate_cin(args: argparse.Namespace) -> int:
    from outstanding.returns.engine import rules_for
    from outstanding.returns.validate import UnsupportedYear, check_year, validate_cin

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file")
    try:
        year = check_year(args.year)
    except (UnsupportedYear, ValueError) as exc:
        return _fail(str(exc))
    bar = _progress_bar(len(rules_for("cin", year)), "rules")
    try:
        validation = validate_cin(path, year.label, progress=lambda _r: bar.update())
    finally:
        bar.close()
    return _report(validation, args, str(path))


def _validate_903(args: argparse.Namespace) -> int:
    from outstanding.returns.engine import rules_for
    from outstanding.returns.validate import UnsupportedYear, check_year, validate_903

    folder = Path(args.folder)
    if not folder.exists():
        return _fail(f"{folder}: no such folder")
    if args.previous and not Path(args.previous).exists():
        return _fail(f"{args.previous}: no such folder")
    try:
        year = check_year(args.year)
    except (UnsupportedYear, ValueError) as exc:
        return _fail(str(exc))
    bar = _progress_bar(len(rules_for("903", year)), "rules")
    try:
        validation = validate_903(folder, year.label, args.previous, progress=lambda _r: bar.update())
    finally:
        bar.close()
    return _report(validation, args, str(folder))


def _write_synthetic(args: argparse.Namespace) -> int:
    from outstanding.returns.synthetic import write_returns
    from outstanding.returns.synthetic_inject import injectable
    from outstanding.returns.validate import UnsupportedYear, check_year

    try:
        year = check_year(args.year)
    except (UnsupportedYear, ValueError) as exc:
        return _fail(str(exc))
    if args.children < 1:
        return _fail("--children must be at least 1")
    chosen = {}
    for return_, text in (("cin", args.inject_cin), ("903", args.inject_903)):
        codes = [c.strip() for c in text.split(",") if c.strip()]
        unknown = sorted(set(codes) - set(injectable(return_, year.start)))
        if unknown:
            return _fail(
                f"{_NAMES[return_]} {year.label} can't inject {', '.join(unknown)}; "
                f"it can inject: {', '.join(sorted(injectable(return_, year.start)))}"
            )
        chosen[return_] = codes
    xml, folder, got_cin, got_903 = write_returns(
        args.folder,
        args.children,
        year.start,
        args.seed,
        inject_cin=chosen["cin"] or None,
        inject_903=chosen["903"] or None,
    )
    print(f"wrote {xml} and {folder}/ ({args.children} children in need, {year.label}, seed {args.seed})")
    for name, got in (("CIN census", got_cin), ("SSDA903", got_903)):
        for code, child in sorted(got.items()):
            print(f"  injected {name} rule {code} into child {child}")
    return EXIT_OK


def _list_rules(args: argparse.Namespace) -> int:
    from outstanding.returns.engine import not_checkable_for, rules_for
    from outstanding.returns.validate import UnsupportedYear, check_year

    try:
        year = check_year(args.year)
    except (UnsupportedYear, ValueError) as exc:
        return _fail(str(exc))
    listed = [r.describe() for r in rules_for(args.return_, year)]
    unchecked = [r.describe() for r in not_checkable_for(args.return_, year)]
    if args.json:
        json.dump(
            {
                "return": args.return_,
                "year": year.label,
                "count": len(listed),
                "rules": listed,
                "not_checked_count": len(unchecked),
                "not_checked": unchecked,
            },
            sys.stdout,
            indent=1,
        )
        sys.stdout.write("\n")
    else:
        for item in listed:
            print(f"{item['code']:<7} {item['type']:<6} {item['table']:<22} {item['message']}")
        print(f"\n{len(listed)} rules checked for {_NAMES[args.return_]} {year.label}")
        if unchecked:
            print(f"\n{len(unchecked)} rules that cannot be checked from the files alone:")
            for item in unchecked:
                print(f"{item['code']:<7} {item['type']:<6} {item['message']}\n        why: {item['reason']}")
    return EXIT_OK
