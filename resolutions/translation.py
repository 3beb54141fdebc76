"""The frameworks' texts in the visitor's language.

The English text of a resolution, era or action item is the source; its Spanish and French translations are
kept beside it as data (`title_es`, `text_fr`, ...), loaded with the frameworks and editable in the admin. A
text without a translation is shown in English.
"""

from django.conf import settings
from django.db.models import F, Model, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

SOURCE_LANGUAGE = "en"
TRANSLATED_LANGUAGES = ("es", "fr")
# The fields of each framework model that have translations.
TRANSLATED_FIELDS = {
    "resolution": ("title", "preamble", "text"),
    "era": ("title", "description"),
    "actionitem": ("short_title", "text"),
}


def active_language(language: str | None = None) -> str:
    """The interface language to read texts in: `es-AR` reads Spanish; anything unknown reads English."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in TRANSLATED_LANGUAGES else SOURCE_LANGUAGE


def localized(obj: Model, field: str, language: str | None = None) -> str:
    """`obj.field` in the active language (or `language`), falling back to the English source."""
    if field not in TRANSLATED_FIELDS.get(obj._meta.model_name or "", ()):
        raise ValueError(f"{obj._meta.label}.{field} has no translations")
    code = active_language(language)
    if code != SOURCE_LANGUAGE and (value := getattr(obj, f"{field}_{code}")):
        return str(value)
    return str(getattr(obj, field))


def localized_expression(path: str, language: str | None = None) -> Combinable:
    """The same choice inside a query, for `.values()` and `.annotate()`: e.g. `action_item__short_title`."""
    code = active_language(language)
    if code == SOURCE_LANGUAGE:
        return F(path)
    return Coalesce(NullIf(F(f"{path}_{code}"), Value("")), F(path))
