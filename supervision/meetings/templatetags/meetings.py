"""Template filters of the meetings pages and e-mails."""

from django import template

from supervision.meetings import formatting

register = template.Library()


@register.filter
def minutes_html(text):
    """Minutes (or any formatted text) as safe HTML: paragraphs, line breaks, lists; all escaped."""
    return formatting.render_html(text or "")


@register.filter
def minutes_text(text):
    return formatting.render_text(text or "")
