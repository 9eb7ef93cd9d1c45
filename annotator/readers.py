"""Reading articles from files, folders and JSONL; writing JSONL atomically.

Bad inputs never stop the run: each yields an InputError naming the input, and the caller
reports it and goes on with the other articles.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

from .records import Article

MAX_CHARS = 1_000_000
_HTML = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|div|p|script|br|span|a\s+href)\b", re.I)


@dataclass(frozen=True)
class InputError:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_text(text: str, where: str, max_chars: int = MAX_CHARS) -> InputError | None:
    if not text.strip():
        return InputError(where, "empty article")
    if "\x00" in text:
        return InputError(where, "binary data, not text")
    if len(text) > max_chars:
        return InputError(where, f"article too long ({len(text):,} characters > limit "
                                 f"{max_chars:,}; raise it with --max-chars)")
    if len(_HTML.findall(text[:20000])) >= 2:
        return InputError(where, "looks like HTML; convert it to plain text first")
    return None


def _article(id: str, text: str, where: str, meta: dict, max_chars: int):
    err = check_text(text, where, max_chars)
    return err if err else Article(id=id, text=text, meta=meta)


def read_txt(path: Path, max_chars: int = MAX_CHARS) -> Article | InputError:
    try:
        raw = path.read_bytes()
    except OSError as e:
        return InputError(str(path), f"cannot read: {e.strerror}")
    if b"\x00" in raw[:8192]:
        return InputError(str(path), "binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return InputError(str(path), f"not UTF-8 text (bad byte at offset {e.start})")
    return _article(path.stem, text, str(path), {}, max_chars)


def jsonl_objects(fh: IO[str], where: str) -> Iterator[tuple[str, int, dict] | InputError]:
    """(location, line number, object) per non-blank line; an InputError for a bad line."""
    for lineno, line in enumerate(fh, 1):
        if not line.strip():
            continue
        loc = f"{where}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(loc, f"invalid JSON ({e.msg})")
            continue
        if not isinstance(obj, dict):
            yield InputError(loc, f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield loc, lineno, obj


def read_jsonl_stream(fh: IO[str], where: str, max_chars: int = MAX_CHARS
                      ) -> Iterator[Article | InputError]:
    for item in jsonl_objects(fh, where):
        if isinstance(item, InputError):
            yield item
            continue
        loc, lineno, obj = item
        if not isinstance(obj.get("text"), str):
            yield InputError(loc, "object has no string field 'text'")
            continue
        id_ = str(obj.get("id", f"{Path(where).stem}-{lineno}"))
        meta = {k: v for k, v in obj.items() if k not in ("id", "text", "claims", "profile", "model")}
        yield _article(id_, obj["text"], f"{loc} (id {id_})", meta, max_chars)


def read_inputs(inputs: Iterable[str], max_chars: int = MAX_CHARS,
                stdin: IO[str] | None = None) -> Iterator[Article | InputError]:
    """Articles from .txt files, folders of .txt, .jsonl files or '-' (JSONL on stdin), in order."""
    for item in inputs:
        if item == "-":
            yield from read_jsonl_stream(stdin or sys.stdin, "<stdin>", max_chars)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(path.glob("*.txt"))
            if not files:
                yield InputError(item, "directory has no *.txt files")
            for f in files:
                yield read_txt(f, max_chars)
        elif not path.exists():
            yield InputError(item, "no such file or directory")
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            try:
                with open(path, encoding="utf-8") as fh:
                    yield from read_jsonl_stream(fh, item, max_chars)
            except UnicodeDecodeError as e:
                yield InputError(item, f"not UTF-8 text (bad byte at offset {e.start})")
        else:
            yield read_txt(path, max_chars)


class AtomicJsonlWriter:
    """Writes JSON lines to a temporary file beside the target; renamed into place on success."""

    def __init__(self, path: str | None):
        self.path = path
        self._fh: IO[str]
        if path is None or path == "-":
            self._fh, self._tmp = sys.stdout, None
        else:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            self._fh = os.fdopen(fd, "w", encoding="utf-8")

    def write(self, obj: dict) -> None:
        self._fh.write(json.dumps(obj, ensure_ascii=False) + "\n")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._tmp is None:
            self._fh.flush()
            return False
        self._fh.close()
        if exc_type is None:
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)
        return False
