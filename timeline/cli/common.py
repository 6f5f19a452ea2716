"""Arguments and checks that several subcommands share."""

from __future__ import annotations

import argparse

from timeline.corpus.published import DATE_ORDERS, DEFAULT_DATE_ORDER
from timeline.errors import UsageError
from timeline.gazetteers import GazetteerError, available_gazetteers, load_gazetteer
from timeline.lang import language_problem
from timeline.pipeline.pool import available_cores


def check_lang(value: str | None, option: str = "--lang") -> str | None:
    """A language code given by the user, or UsageError when nothing can read it."""
    if value is None:
        return None
    problem = language_problem(value)
    if problem:
        raise UsageError(f"{option} {value!r}: {problem}")
    return value


def add_date_order_argument(parser: argparse.ArgumentParser) -> None:
    """``--date-order``: how publication dates that are not ISO 8601 are read."""
    parser.add_argument(
        "--date-order", choices=DATE_ORDERS, default=DEFAULT_DATE_ORDER,
        help="order of day, month and year in numeric publication dates that are not ISO "
             f"8601, such as 09/08/2016 (default: {DEFAULT_DATE_ORDER}, day first; ISO 8601 "
             "is always read as such)")


def add_gazetteer_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """``--gazetteer FILE`` (repeatable): the actors and places of the corpus's subject."""
    shipped = ", ".join(available_gazetteers())
    parser.add_argument(
        "--gazetteer", action="append", metavar="FILE", default=None,
        help=f"a gazetteer: a TOML file of actors and places with their spellings (layout "
             f"in timeline/gazetteers/syria.toml), or a shipped one by name ({shipped}); "
             f"repeatable; the gazetteers given replace the default ({shipped}), so name it "
             f"too to extend it. {what}")


def gazetteers(args: argparse.Namespace) -> list[str] | None:
    """The gazetteers asked for (``--gazetteer``), each checked, or None for the default."""
    given: list[str] | None = getattr(args, "gazetteer", None)
    for name in given or ():
        try:
            load_gazetteer(name)
        except GazetteerError as exc:
            raise UsageError(f"--gazetteer {name}: {exc}") from None
    return given


def add_workers_argument(parser: argparse.ArgumentParser) -> None:
    """``--workers N``: processes for the per-document work."""
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help="worker processes for the per-document work (default: this machine's cores; "
             "the output is the same whatever N is)")


def workers(args: argparse.Namespace) -> int:
    """The number of worker processes asked for (``--workers``), checked."""
    count: int = args.workers if args.workers is not None else available_cores()
    if count < 1:
        raise UsageError(f"--workers {count}: give 1 or more")
    return count


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--text-col --date-col --id-col --source-col --url-col --title-col --lang-col``
    and ``--follow-symlinks``.

    Their ``dest`` names match :func:`timeline.corpus.load_corpus`'s keywords, so
    ``load_corpus(args.corpus, **corpus_options(args))`` passes them on.
    """
    group = parser.add_argument_group(
        "corpus columns",
        "for JSON Lines, CSV and Parquet inputs (and manifests): the column holding each "
        "field; by default found by common names (text/content/body, "
        "published/date/pubdate/published_at, source/site/outlet, url/link, "
        "title/headline, lang/language, id/doc_id)")
    for field, dest in (("text", "text_col"), ("published", "date_col"), ("id", "id_col"),
                        ("source", "source_col"), ("url", "url_col"), ("title", "title_col"),
                        ("lang", "lang_col")):
        flag = "--" + dest.replace("_", "-")
        group.add_argument(flag, dest=dest, metavar="NAME", default=None,
                           help=f"column holding the article's {field}")
    parser.add_argument("--follow-symlinks", dest="follow_symlinks", action="store_true",
                        help="read the files that symbolic links inside corpus folders point "
                             "to (by default they are listed as not read; links named on the "
                             "command line are always followed)")


def corpus_options(args: argparse.Namespace) -> dict[str, str | bool | None]:
    """The keyword arguments of :func:`load_corpus` from parsed ``add_corpus_arguments``."""
    options: dict[str, str | bool | None] = {
        dest: getattr(args, dest, None)
        for dest in ("text_col", "date_col", "id_col", "source_col", "url_col", "title_col",
                     "lang_col")}
    options["follow_symlinks"] = bool(getattr(args, "follow_symlinks", False))
    return options
