from django import template
from django.db.models import Model

from resolutions.translation import localized as localized_text

register = template.Library()


@register.filter
def localized(obj: Model, field: str) -> str:
    """`{{ item|localized:"short_title" }}`: a framework text in the visitor's language, else in English."""
    return localized_text(obj, field)
