"""`annotator report`: parses arguments and calls annotator.report.write_report.

Wired into annotator/cli.py with ``cli_report.add_commands(sub)``.
"""
from __future__ import annotations

import argparse
import sys


def _err(msg: str) -> None:
    print(f"annotator: {msg}", file=sys.stderr)


def _confidence(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"not a probability between 0 and 1: {value!r}")
    return x


def cmd_report(a) -> int:
    from .report import ReportInputError, read_scored, write_report

    try:
        records = read_scored(a.scored)
    except OSError as e:
        _err(f"cannot read {a.scored}: {e.strerror or e}")
        return 2
    try:
        index = write_report(records, a.output, group_by=a.group_by,
                             low_confidence=a.low_confidence)
    except ReportInputError as e:
        _err(str(e))
        return 2
    except OSError as e:
        _err(f"cannot write the report: {e.filename or a.output}: {e.strerror or e}")
        return 2
    print(index)
    return 0


def add_commands(subparsers) -> None:
    """Register the ``report`` subcommand on an argparse subparsers object."""
    r = subparsers.add_parser(
        "report", help="static HTML report of scored articles (open DIR/index.html)",
        description="Write a self-contained HTML report of `annotator score` output: an index "
                    "with corpus charts and one page per article with its claims highlighted.")
    r.add_argument("scored", metavar="SCORED.jsonl", help="output of `annotator score` (- = stdin)")
    r.add_argument("-o", "--output", metavar="DIR", required=True, help="report folder")
    r.add_argument("--group-by", metavar="FIELD",
                   help="profile the corpus per value of this metadata field (e.g. publisher)")
    r.add_argument("--low-confidence", type=_confidence, default=0.6, metavar="P",
                   help="mark claims whose label probability is below P (default 0.6)")
    r.set_defaults(func=cmd_report)
