"""No internet at run time: every script and stylesheet comes from static/."""

import filecmp
import re
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parents[1]


def test_templates_load_nothing_from_another_host():
    pattern = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)=["'](https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_templates_have_no_inline_script_or_style():
    """A strict Content-Security-Policy holds only without inline code."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "emails" not in path.relative_to(ROOT / "templates").parts
        and inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_vendored_plotly_is_the_one_the_plotly_package_ships():
    shipped = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = re.search(r"plotly\.js v([\d.]+)", shipped.read_text(encoding="utf-8")[:200]).group(1)
    vendored = ROOT / "static" / "vendor" / f"plotly-{version}.min.js"
    assert filecmp.cmp(shipped, vendored, shallow=False)
    assert (ROOT / "static" / "vendor" / f"plotly-locale-zh-cn-{version}.js").exists()


def test_static_files_are_served_with_a_strict_policy(client, regulator):
    client.force_login(regulator)
    response = client.get("/dashboard/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert client.get("/static/vendor/bootstrap-5.3.8.min.css").status_code == 200
