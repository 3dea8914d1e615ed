"""BENCHMARKS.md sections: the one writer every benchmark's `--update` uses.

A section is the text between `<!-- name -->` and `<!-- /name -->`, so a benchmark run
replaces its own figures and leaves every other section as it was. It lives in `edge`
because the fall detector's benchmarks (`edge/fall/cli.py`) write sections too and edge
may import only `common` and `hardware`; `continuo`'s benchmarks may import edge.
"""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, name: str, body: str, *, heading: str = "") -> None:
    """Put `body` between the `name` markers in `path`, in place of what was there.

    A section not in the file yet is appended, after `heading` (a title, the command that
    made it) when given; a file that does not exist starts as "# Benchmarks".
    """
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + (f"{heading}\n\n" if heading else "") + block + "\n"
    path.write_text(text)
