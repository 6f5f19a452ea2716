"""The chronology as TimelineJS3 JSON (`timeline export DIR --format timelinejs`).

TimelineJS3 (https://timeline.knightlab.com) reads ``{"title": ..., "events": [...]}``
with each event's ``start_date``/``end_date`` as ``{"year", "month", "day"}``
(only the parts the granularity supports), ``text`` (``headline``, ``text``),
``group`` (a source or a language, ``--group``), ``media`` and ``unique_id``.

TimelineJS renders every text field as HTML, so every one is escaped here; links
go only to http(s) addresses. The headline is the entry's own ``headline`` where the
chronology has one (the body then starts with the summary), else the summary cut at
a word boundary (the body goes on where it stops); the body then says who reported
it and links each article (``media`` shows the summary's own article, credited to
its source). The title slide names the key events: by ``rank`` where the chronology
has one, else the most reported.
"""

from __future__ import annotations

import html
import urllib.parse
from typing import Any

import polars as pl

from timeline.chronology.writers import iso, plural

FORMATS = ("timelinejs",)
#: Longest headline (characters); longer summaries are cut at the last word boundary.
HEADLINE_CHARS = 90
#: Articles linked from one event's text, at most.
LINKS_PER_EVENT = 10


def _date_parts(value: Any, granularity: str) -> dict[str, str]:
    year, month, day = iso(value)[:10].split("-")
    if granularity in ("year", "decade", "century"):
        return {"year": year}
    if granularity in ("month", "quarter", "season"):
        return {"year": year, "month": str(int(month))}
    return {"year": year, "month": str(int(month)), "day": str(int(day))}


def cut_headline(text: str, limit: int = HEADLINE_CHARS) -> tuple[str, str]:
    """(headline, rest): ``text`` cut at the last word boundary within ``limit``
    characters, with an ellipsis on both sides of the cut; rest is "" when it fits.

    >>> cut_headline("Turkish soldiers were killed in an air strike", 30)
    ('Turkish soldiers were killed…', '…in an air strike')
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit)  # the headline keeps whole words, plus "…"
    if cut <= 0:  # one word longer than the limit: cut inside it, as little can be done
        cut = limit - 1
    return text[:cut].rstrip() + "…", "…" + text[cut:].lstrip()


def safe_url(url: object) -> str | None:
    """An http(s) URL fit for an ``href`` (quotes and spaces percent-encoded), else None.

    >>> safe_url("javascript:alert(1)") is None
    True
    >>> safe_url("https://example.org/a b'c")
    'https://example.org/a%20b%27c'
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    return urllib.parse.quote(url, safe=":/?#[]@!$&()*+,;=%~-._")


def _link(mention: dict[str, Any]) -> str | None:
    url = safe_url(mention.get("url"))
    if url is None:
        return None
    label = mention.get("title") or mention.get("source") or mention.get("doc_id") or url
    return f'<a href="{html.escape(url)}">{html.escape(str(label))}</a>'


def _media(mention: dict[str, Any] | None) -> dict[str, str] | None:
    url = safe_url((mention or {}).get("url"))
    if mention is None or url is None:
        return None
    media = {"url": url, "link": url}
    if mention.get("source"):
        media["credit"] = html.escape(str(mention["source"]))
    if mention.get("title"):
        media["caption"] = html.escape(str(mention["title"]))
    return media


def to_timelinejs(frame: pl.DataFrame, *, group: str = "source",
                  title: str = "Chronology") -> dict[str, Any]:
    """TimelineJS3 JSON of a chronology frame; ``group`` is ``source`` or ``language``."""
    events = []
    for row in frame.iter_rows(named=True):
        granularity = row["granularity"] or "day"
        mentions = row["mentions"] or []
        summary_mention = next((m for m in mentions
                                if " ".join(m["text"].split()) == row["summary"]),
                               mentions[0] if mentions else None)
        if group == "language":
            label = (summary_mention or {}).get("lang") or ",".join(row["languages"])
        else:
            label = (summary_mention or {}).get("source") or ", ".join(row["sources"])
        if row.get("headline"):  # the entry's own headline; the summary is the text
            headline, rest = cut_headline(row["headline"])[0], row["summary"]
        else:
            headline, rest = cut_headline(row["summary"])
        body = f"<p>{html.escape(rest)}</p>" if rest else ""
        sources = ", ".join(html.escape(s) for s in row["sources"])
        body += f"<p>Sources: {sources} ({plural(row['n_mentions'], 'mention')})</p>"
        if row["conflict"]:
            body += "<p>Sources disagree: " + html.escape("; ".join(row["conflicts"])) + "</p>"
        links = list(dict.fromkeys(link for link in map(_link, mentions) if link))
        if links:
            body += "<p>Read: " + ", ".join(links[:LINKS_PER_EVENT]) + "</p>"
        event: dict[str, Any] = {
            "start_date": _date_parts(row["earliest"], granularity),
            "text": {"headline": html.escape(headline), "text": body},
            "group": html.escape(str(label)),
            "unique_id": row["event_id"],
        }
        media = _media(summary_mention) or _media(next(
            (m for m in mentions if safe_url(m.get("url"))), None))
        if media:
            event["media"] = media
        if iso(row["latest"]) != iso(row["earliest"]) and granularity not in ("year", "month"):
            event["end_date"] = _date_parts(row["latest"], granularity)
        events.append(event)
    return {"title": {"text": {"headline": html.escape(title),
                               "text": plural(frame.height, "event") + _key_events(frame)}},
            "events": events}


#: Key events named on the title slide.
KEY_EVENTS = 5


def _key_events(frame: pl.DataFrame) -> str:
    """The title slide's list of the most important events: by the chronology's ``rank``
    where it has one, else by evidence (outlets, then mentions)."""
    if frame.height == 0:
        return ""
    order = (["rank", "n_sources", "n_mentions"] if "rank" in frame.columns
             else ["n_sources", "n_mentions"])
    best = frame.sort(order, descending=[name != "rank" for name in order],
                      nulls_last=True).head(KEY_EVENTS)
    items = "".join(f"<li>{html.escape(iso(row['earliest'])[:10])}: "
                    f"{html.escape(cut_headline(row.get('headline') or row['summary'])[0])}</li>"
                    for row in best.iter_rows(named=True))
    return f"<p>Key events:</p><ol>{items}</ol>"
