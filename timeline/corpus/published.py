"""Publication dates from whatever the metadata holds.

Metadata dates come as ISO dates and datetimes with offsets, RFC 2822 (RSS), epoch
seconds written as strings, Parquet timestamps, or CMS strings such as "Senin, 11
November 2013 14:05 WIB". A value of another type (a number: is 20200328 a date or
seconds since 1970?) is refused, never guessed at. The ISO, RFC 2822 and epoch forms are read exactly with the standard
library; everything else goes to dateparser, which carries month and weekday
names for some 200 locales and the zone abbreviations (WIB +07, WITA +08, WIT +09)
as data, so no language knowledge lives here.

The zone is kept as a fixed offset. A date without a time stays a naive midnight
and :func:`published_precision` says it is day-precise.
"""

from __future__ import annotations

import email.utils
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timezone
from typing import Any

#: dateparser settings: strict (day, month and year must all be there, nothing is
#: filled in from today); absolute dates only (no "2 hours ago" in metadata).
#: Numeric dates are read in DATE_ORDERS' order: day-first by default (the
#: Indonesian and most non-US convention), never month-first unless asked.
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}
DATE_ORDERS = ("DMY", "MDY", "YMD")
DEFAULT_DATE_ORDER = "DMY"

_EPOCH = re.compile(r"^\s*-?\d{9,13}(\.\d+)?\s*$")
_LONG_YEAR = re.compile(r"(?<!\d)(?P<year>\d{5,})(?!\d)")
#: The zones RFC 2822 defines (numeric, UT/GMT, US military-era names).
_RFC2822_ZONE = re.compile(r"\d:\d\d(:\d\d)?\s+(?:[+-]\d{4}|UTC?|GMT|Z|[ECMP][SD]T)\s*$")
_FIRST_DAY = re.compile(r"(?<!\d)(?P<day>\d{1,2})(?!\d)")
#: A numeric date: three numbers with one separator ("09/08/2016", "9.8.16").
_NUMERIC_DATE = re.compile(r"(?<![\d./-])(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)"
                           r"(?P<c>\d{1,4})(?![\d./-])")


@dataclass(frozen=True, slots=True)
class Published:
    """A parsed publication moment and whether the source gave a time of day."""

    moment: datetime
    has_time: bool

    def iso(self) -> str:
        """ISO 8601 at the precision given: '2013-11-12' or '2013-11-12T14:05:00+07:00'."""
        return self.moment.isoformat() if self.has_time else self.moment.date().isoformat()


def _fixed_offset(moment: datetime) -> datetime:
    """Replace a named zone (pytz, dateparser's StaticTzInfo) by its fixed offset."""
    if moment.tzinfo is None:
        return moment
    offset = moment.utcoffset()
    assert offset is not None
    return moment.replace(tzinfo=timezone(offset))


def _from_epoch(seconds: float) -> Published:
    if abs(seconds) >= 1e11:  # 12-13 digits: epoch milliseconds, as JavaScript writes them
        seconds = seconds / 1000
    try:
        return Published(datetime.fromtimestamp(seconds, tz=UTC), True)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"epoch {seconds!r} is out of range ({exc})") from None


def _explain_failure(text: str, date_order: str) -> str:
    """Say why a string that looks like a date is not one."""
    long_year = _LONG_YEAR.search(text)
    if long_year:
        return f"impossible date {text!r}: year {long_year['year']} is out of range"
    # Replace the first day-like number by 1: if that parses, the day was impossible
    # for its month ("31/02/2016", "31 Februari 2016"), whatever the language.
    day = _FIRST_DAY.search(text)
    if day and int(day["day"]) > 28:
        probe = text[: day.start()] + "1" + text[day.end():]
        first = _dateparse(probe, date_order)
        if first is not None:
            return (f"impossible date {text!r}: day {int(day['day'])} is out of range for "
                    f"{first.strftime('%B %Y')}")
    return f"unparseable date {text!r} (a day, month and year are needed)"


def _dateparse(text: str, date_order: str) -> datetime | None:
    import dateparser  # slow to import; only free-form strings need it

    try:
        found: datetime | None = dateparser.parse(
            text, settings={**_DATEPARSER_SETTINGS, "DATE_ORDER": date_order})
        return found
    except (ValueError, OverflowError, TypeError, AttributeError):  # dateparser's own bugs
        return None


def _numeric_date(text: str, date_order: str) -> tuple[int, int, int | None] | None:
    """(day, month, year) of the numeric date in ``text``, read in ``date_order`` (a
    four-digit first number is a year whatever the order); None when there is none.

    dateparser falls back to the other order when a number cannot be a month
    ("12/25/2016" read day-first becomes 25 December): here it may not, so an
    impossible date in the order asked for is an error. The year is None when
    written with two digits (dateparser expands it).
    """
    match = _NUMERIC_DATE.search(text)
    if match is None:
        return None
    a, b, c = (int(match[name]) for name in ("a", "b", "c"))
    order = "YMD" if len(match["a"]) == 4 else date_order
    fields = dict(zip(order, (a, b, c), strict=True))
    day, month, year = fields["D"], fields["M"], fields["Y"]
    written = match["a"] if order == "YMD" else match["c"]
    check_year = year if len(written) == 4 else 2000  # a leap year, for 29 February
    if not 1 <= month <= 12:
        raise ValueError(f"impossible date {text!r}: read in {order} order, month {month} "
                         "does not exist (wrong date order? DMY, MDY or YMD)")
    try:
        date(check_year, month, day)
    except ValueError:
        raise ValueError(f"impossible date {text!r}: day {day} is out of range for "
                         f"{date(check_year, month, 1).strftime('%B')}"
                         f"{f' {year}' if len(written) == 4 else ''}") from None
    return day, month, (year if len(written) == 4 else None)


def _parse_string(text: str, date_order: str) -> Published:
    text = text.strip()
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        pass
    else:
        return Published(moment, has_time=bool(re.search(r"\d[T ]\d", iso)))
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}", text):
        # ISO-shaped but rejected: fromisoformat says which field is impossible.
        try:
            date(*(int(part) for part in re.findall(r"\d+", text)[:3]))
        except ValueError as exc:
            raise ValueError(f"impossible date {text!r}: {exc}") from None
    # RFC 2822 (RSS pubDate) only with a zone email.utils knows; it would read
    # "... 14:05 WIB" as naive, so other zones go to dateparser.
    if _RFC2822_ZONE.search(text) and email.utils.parsedate_tz(text) is not None:
        try:
            return Published(email.utils.parsedate_to_datetime(text), has_time=True)
        except (TypeError, ValueError, IndexError):
            pass
    numeric = _numeric_date(text, date_order)
    parsed = _dateparse(text, date_order)
    if parsed is None:
        raise ValueError(_explain_failure(text, date_order))
    if numeric is not None:  # the order asked for, never dateparser's fallback
        day, month, year = numeric
        parsed = parsed.replace(year=year or parsed.year, month=month, day=day)
    has_time = (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0) or parsed.tzinfo is not None
    return Published(parsed, has_time=has_time)


def parse_published_value(value: Any, *, today: date | None = None,
                          date_order: str = DEFAULT_DATE_ORDER,
                          reject_future: bool = True) -> Published | None:
    """Parse a publication date to a :class:`Published`; ``None`` when there is no value.

    The one parser of publication dates, for corpus metadata and for the
    ``published`` argument of ``tag``/``resolve`` alike: ISO 8601 first, then RFC
    2822 and epoch seconds (unambiguous), then other written forms with numeric
    dates read in ``date_order`` (day-first by default, never month-first unless
    asked). Raises ``ValueError`` whose message says what is wrong (unparseable,
    impossible, or after ``today`` when ``reject_future``).
    """
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date order {date_order!r}: one of {', '.join(DATE_ORDERS)}")
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        parsed = Published(value, has_time=True)
    elif isinstance(value, date):
        parsed = Published(datetime(value.year, value.month, value.day), has_time=False)
    elif isinstance(value, bool):
        raise ValueError(f"unparseable date {value!r}: a boolean")
    elif isinstance(value, int | float):
        # 20200328 and 1585353600 are both numbers: a date that is not written as one
        # is not guessed at (as epoch seconds, it was 1970-08-22)
        raise ValueError(f"unparseable date {value!r}: a number, not a date; give a date or "
                         "a string (2020-03-28, or epoch seconds written as a string)")
    elif isinstance(value, str):
        if not value.strip():
            return None
        parsed = _parse_string(value, date_order)
    else:
        raise ValueError(f"unparseable date {value!r}: a {type(value).__name__}")
    moment = _fixed_offset(parsed.moment)
    if not reject_future:
        return Published(moment, parsed.has_time)
    today = today or date.today()
    try:
        stated_day = (moment.astimezone(UTC).date() if moment.tzinfo is not None
                      else moment.date())
    except OverflowError:  # the instant is before 0001-01-01 UTC ("0001-01-01T00:00+14:00")
        stated_day = moment.date()
    if stated_day > today:
        raise ValueError(f"impossible date {str(value)!r}: {moment.date().isoformat()} is after "
                         f"today ({today.isoformat()})")
    return Published(moment, parsed.has_time)


def parse_published(value: Any, *, today: date | None = None,
                    date_order: str = DEFAULT_DATE_ORDER) -> datetime | None:
    """Parse a publication date or datetime from metadata, keeping its time zone.

    >>> parse_published("Senin, 11 November 2013 14:05 WIB").isoformat()
    '2013-11-11T14:05:00+07:00'
    >>> parse_published("31/02/2016")
    Traceback (most recent call last):
    ...
    ValueError: impossible date '31/02/2016': day 31 is out of range for February 2016

    Returns ``None`` for a missing value (None, "", NaN). A date without a time is
    a naive midnight.
    """
    parsed = parse_published_value(value, today=today, date_order=date_order)
    return parsed.moment if parsed else None
