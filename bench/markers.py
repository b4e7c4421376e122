"""The figures a benchmark writes into docs/benchmarks.md: between its two markers, nowhere else."""

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_between(start: str, end: str, lines: list[str]) -> None:
    """Replace what stands between the markers ``start`` and ``end`` with ``lines``; the rest of the
    document (the readings written by hand) is left as it is. Without the markers nothing is written."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if start not in text or end not in text.split(start, 1)[1]:
        print(f"{DOC} has no markers {start!r} … {end!r}; figures not written")
        return
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    DOC.write_text(head + start + "\n" + "\n".join(lines) + "\n" + end + tail, encoding="utf-8")
    print(f"figures written to {DOC}")
