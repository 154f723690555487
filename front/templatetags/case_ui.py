"""Template helpers for the case pages: unknown-aware booleans, labels for codes."""

from __future__ import annotations

from django import template

from front.views.drafts import specialty_label

register = template.Library()


@register.filter
def known(value, labels: str = "Yes,No") -> str:
    """A nullable boolean as words: None is "Not recorded", never "No"."""
    yes, no = (labels.split(",") + ["No"])[:2]
    if value is None:
        return "Not recorded"
    return yes if value else no


@register.filter
def get(mapping, key):
    """`mapping|get:key` for dicts keyed by variables."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def specialty(value: str) -> str:
    return specialty_label(value)


@register.filter
def humanise(value) -> str:
    """`before_next_meeting` → "Before next meeting"."""
    if value is None:
        return ""
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


@register.filter
def css_token(value) -> str:
    """A value safe to use inside a class name."""
    return "".join(ch if ch.isalnum() else "-" for ch in str(value or "")).lower()
