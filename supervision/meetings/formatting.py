"""Minutes as formatted text: a small, safe subset, rendered to HTML with everything escaped.

No Markdown library is installed, and the minutes need little: paragraphs (separated by a blank
line), line breaks, bullet lines (starting with "- ", "* " or "• ") and numbered lines ("1. ",
"2、", "（一）" are kept as text). Every piece of the user's text is escaped before it is
wrapped in the few tags this module writes itself, so the result can be marked safe.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^\s*[-*•·]\s+(?P<text>.*)$")
NUMBERED = re.compile(r"^\s*(?P<n>\d{1,3})[.)]\s+(?P<text>.*)$")


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _runs(block: list[str]):
    """A block's lines as runs: ("p", lines), ("ul", items) or ("ol", items, first number)."""
    runs: list[tuple] = []
    for line in block:
        bullet, numbered = BULLET.match(line), NUMBERED.match(line)
        kind = "ul" if bullet else "ol" if numbered else "p"
        text = (bullet or numbered).group("text").strip() if kind != "p" else line.strip()
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(text)
        else:
            runs.append((kind, [text], int(numbered.group("n")) if numbered else 1))
    return runs


def render_html(text: str) -> SafeString:
    """Paragraphs, line breaks and lists as HTML; the text itself always escaped."""
    out = []
    for block in _blocks(text or ""):
        for kind, lines, start in _runs(block):
            escaped = [escape(line) for line in lines]
            if kind == "p":
                out.append("<p>" + "<br>".join(escaped) + "</p>")
            else:
                # A numbered list keeps the number its first line was written with.
                opening = f'<ol start="{start}">' if kind == "ol" and start != 1 else f"<{kind}>"
                out.append(opening + "".join(f"<li>{line}</li>" for line in escaped) + f"</{kind}>")
    return mark_safe("\n".join(out))  # noqa: S308 - every piece of user text above went through escape()


def render_text(text: str) -> str:
    """The same text for a plain-text e-mail: unchanged but for tidy line ends."""
    return "\n\n".join("\n".join(block) for block in _blocks(text or ""))
