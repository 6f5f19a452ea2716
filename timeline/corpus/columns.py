"""Which column holds what: the text and the metadata of an article.

Tables from scrapers and data sets name their columns differently; the common
names below are found case-insensitively, and options (``--text-col`` ...) win
over them. The names are data, so adding one is a one-line change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

#: Field -> column names recognised without options, in order of preference.
COMMON_NAMES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "maintext", "full_text"),
    "published": ("published", "date", "pubdate", "published_at", "publish_date",
                  "date_published", "datetime", "timestamp"),
    "id": ("id", "doc_id", "document_id", "article_id", "guid"),
    "source": ("source", "site", "outlet", "sitename", "publisher", "domain"),
    "url": ("url", "link", "href", "canonical_url"),
    "title": ("title", "headline"),
    "lang": ("lang", "language"),
}

#: Manifest column naming the file a row describes.
FILE_NAMES = ("file", "path", "filename", "file_name")

#: Metadata fields of an article (besides its text).
METADATA_FIELDS = ("id", "published", "source", "url", "title", "lang")


@dataclass(frozen=True, slots=True)
class ColumnOptions:
    """Column names given by the user; ``None`` means "find by common name"."""

    text: str | None = None
    published: str | None = None
    id: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    lang: str | None = None

    def option_name(self, field: str) -> str:
        return "--date-col" if field == "published" else f"--{field}-col"


class MissingTextColumn(ValueError):
    """A table has no column the text can be read from."""


def resolve_columns(columns: Iterable[str], options: ColumnOptions,
                    *, need_text: bool = True) -> dict[str, str]:
    """Map each field to the table's column that holds it.

    >>> resolve_columns(["Headline", "Body", "link"], ColumnOptions())
    {'text': 'Body', 'url': 'link', 'title': 'Headline'}

    Raises :class:`MissingTextColumn` (when ``need_text``) or ``ValueError`` for a
    column named by an option that the table does not have.
    """
    columns = [str(c) for c in columns]
    by_folded: dict[str, str] = {}
    for column in columns:
        by_folded.setdefault(column.strip().casefold(), column)
    found: dict[str, str] = {}
    for field in (f.name for f in fields(ColumnOptions)):
        wanted = getattr(options, field)
        if wanted is not None:
            match = wanted if wanted in columns else by_folded.get(wanted.strip().casefold())
            if match is None:
                error = MissingTextColumn if field == "text" else ValueError
                raise error(f"column {wanted!r} ({options.option_name(field)}) not found; "
                            f"columns are: {', '.join(columns) or '(none)'}")
            found[field] = match
            continue
        for name in COMMON_NAMES[field]:
            if name in by_folded:
                found[field] = by_folded[name]
                break
    if need_text and "text" not in found:
        raise MissingTextColumn(
            f"no text column: expected one of {', '.join(COMMON_NAMES['text'])} "
            f"(or --text-col); columns are: {', '.join(columns) or '(none)'}")
    return found


def repeated_column(header: Sequence[str], used: Mapping[str, str]) -> str | None:
    """Why a table's header cannot be read as it stands: a column it is read from is
    named twice (case and spaces aside), so which holds the field is anyone's guess
    (CSV readers keep the last, silently); None when none is.

    >>> repeated_column(["id", "text", "Text "], {"text": "text"})
    "columns 2 and 3 are both named 'text', the column the text is read from: rename one"
    """
    folded = [str(name).strip().casefold() for name in header]
    for field, column in used.items():
        places = [i + 1 for i, name in enumerate(folded) if name == str(column).strip().casefold()]
        if len(places) > 1:
            listed = ", ".join(map(str, places[:-1])) + f" and {places[-1]}"
            return (f"columns {listed} are {'both' if len(places) == 2 else 'all'} named "
                    f"{str(column).strip()!r}, the column the {field} is read from: rename one")
    return None
