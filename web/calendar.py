"""``GET /calendar.ics``: the events of the directory as an iCalendar feed (RFC 5545).

The query parameters are those of the GraphQL ``EventFilter``, spelt the same
way, and go through the same code (``queries.filters.event_where``):

    dateFrom, dateTo        YYYY-MM-DD; ranges ending on/after, starting on/before
    kinds, formats,         enum values (case ignored), repeated or comma-separated:
    languages               ?kinds=LAUNCH&kinds=WORKSHOP or ?kinds=launch,workshop
    governingBody,          global ID or slug
    instrument, organizer,
    marginsOf
    openForApplicationsAt   ISO 8601 instant with a UTC offset (write + as %2B)
    search                  words, as in the GraphQL ``search``

An unknown parameter or a value that does not parse is answered with 400
and a plain-text message. Each date range of an event is one VEVENT, with
the UID ``<event slug>-<n>@unodc-partner-directory``, n counting the
event's ranges from 1 in date order (so it stays the same when a filter
leaves some ranges out). Ranges without times are all-day (DATE values,
DTEND the day after the last day); ranges with times are DATE-TIMEs in
Europe/Vienna, whose VTIMEZONE the feed always carries. A range the event
only falls within (``exact`` false, e.g. "during CND 66") is all-day over the
whole range, TRANSP:TRANSPARENT and STATUS:TENTATIVE, with a first line in
its DESCRIPTION saying that the exact day is not known. With ``dateFrom``/
``dateTo``, only the ranges overlapping that window are listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from functools import lru_cache
from typing import Any

import icalendar
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from tortoise.exceptions import ValidationError

from domain.access import Viewer
from domain.countries import country_name
from domain.errors import ClientError
from domain.ids import parse_global_id
from models import Event, EventDate
from models.dates import VIENNA
from models.enums import LANGUAGE_ALIASES, EventFormat, EventKind, Language
from models.validators import validate_slug
from queries.batch import rows_by
from queries.filters import event_where
from queries.lists import every_row
from queries.relations import DATES_OF_EVENT
from queries.tables import EVENT, EVENT_DATE
from web.identity import viewer_of

MEDIA_TYPE = "text/calendar; charset=utf-8"
UID_DOMAIN = "unodc-partner-directory"
PRODID = "-//UNODC Civil Society Unit//Partner directory//EN"
CALENDAR_NAME = "UNODC partner directory: events"


# ------- query parameters -> an EventFilter -------


@dataclass
class FeedFilter:
    """The EventFilter of a feed request, with the attribute names ``event_where`` reads."""

    date_from: date | None = None
    date_to: date | None = None
    kinds: list[EventKind] | None = None
    formats: list[EventFormat] | None = None
    languages: list[Language] | None = None
    governing_body: str | None = None
    instrument: str | None = None
    organizer: str | None = None
    margins_of: str | None = None
    open_for_applications_at: datetime | None = None
    search: str | None = None


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _instant(value: str) -> datetime:
    # A "+" left unencoded in a query string arrives as a space.
    return datetime.fromisoformat(value.replace(" ", "+"))


def _text(value: str) -> str:
    return value


def _reference(value: str) -> str:
    """A slug, or a global ID of this directory (its type is checked by the filter)."""
    try:
        validate_slug(value)
    except ValidationError:
        try:
            parse_global_id(value)
        except ClientError as error:
            raise ValueError(str(error)) from error
    return value


def _member(enum: type[Enum], aliases: Mapping[str, Enum], value: str) -> Enum:
    """The member of ``enum`` named ``value`` (case ignored); ClientError listing the names otherwise."""
    name = value.upper()
    if name in aliases:
        return aliases[name]
    try:
        return enum[name]
    except KeyError:
        raise ClientError(f"{value!r} is not one of {', '.join(member.name for member in enum)}.") from None


SINGLE: dict[str, tuple[str, Callable[[str], Any], str]] = {
    "dateFrom": ("date_from", _day, "a date, YYYY-MM-DD"),
    "dateTo": ("date_to", _day, "a date, YYYY-MM-DD"),
    "governingBody": ("governing_body", _reference, "a global ID or slug"),
    "instrument": ("instrument", _reference, "a global ID or slug"),
    "organizer": ("organizer", _reference, "a global ID or slug"),
    "marginsOf": ("margins_of", _reference, "a global ID or slug"),
    "openForApplicationsAt": ("open_for_applications_at", _instant, "an instant, e.g. 2023-02-01T12:00:00%2B01:00"),
    "search": ("search", _text, "words"),
}
MULTIPLE: dict[str, tuple[str, type[Enum], Mapping[str, Enum]]] = {
    "kinds": ("kinds", EventKind, {}),
    "formats": ("formats", EventFormat, {}),
    "languages": ("languages", Language, LANGUAGE_ALIASES),
}


def feed_filter(params: Sequence[tuple[str, str]]) -> FeedFilter:
    """The filter a query string asks for; ClientError naming the first parameter that is wrong."""
    found = FeedFilter()
    seen: set[str] = set()
    for name, raw in params:
        value = raw.strip()
        if name in SINGLE:
            attribute, parse, expected = SINGLE[name]
            if name in seen:
                raise ClientError(f"`{name}` may be given only once.")
            seen.add(name)
            if not value:
                continue
            try:
                setattr(found, attribute, parse(value))
            except ValueError as error:
                raise ClientError(f"`{name}` must be {expected}; got {raw!r}.") from error
        elif name in MULTIPLE:
            attribute, enum, aliases = MULTIPLE[name]
            items = getattr(found, attribute) or []
            for item in filter(None, (part.strip() for part in value.split(","))):
                try:
                    items.append(_member(enum, aliases, item))
                except ClientError as error:
                    raise ClientError(f"`{name}`: {error}") from error
            setattr(found, attribute, items or None)
        else:
            known = ", ".join([*SINGLE, *MULTIPLE])
            raise ClientError(f"Unknown parameter `{name}`; the feed takes {known}.")
    if found.date_from and found.date_to and found.date_from > found.date_to:
        raise ClientError("`dateFrom` is after `dateTo`.")
    return found


# ------- events -> VEVENTs -------


def _in_vienna(day: date, moment: time) -> datetime:
    """A day and time of day as a Vienna date-time; times stored with a UTC offset are converted."""
    if moment.tzinfo is None:
        return datetime.combine(day, moment, tzinfo=VIENNA)
    return datetime.combine(day, moment).astimezone(VIENNA)


def _range_order(item: EventDate) -> tuple[Any, ...]:
    start = _in_vienna(item.start_date, item.start_time) if item.start_time is not None else None
    return (item.start_date, item.end_date, start is not None, start, item.id)


def _in_window(item: EventDate, window: FeedFilter) -> bool:
    return (window.date_from is None or item.end_date >= window.date_from) and (
        window.date_to is None or item.start_date <= window.date_to
    )


def _location(event: Event) -> str | None:
    parts = [event.venue, event.city, country_name(event.country) if event.country else None]
    return ", ".join(part for part in parts if part) or None


def _is_url(source: str | None) -> bool:
    return source is not None and " " not in source and source.startswith(("https://", "http://"))


def _description(event: Event, item: EventDate) -> str | None:
    """The event's description; a source that is a citation rather than a URL is added below it."""
    parts = [event.description] if event.description else []
    if not item.exact:
        first, last = item.start_date.isoformat(), item.end_date.isoformat()
        parts.insert(0, f"Exact day not known: the event takes place on some day(s) from {first} to {last}.")
    if event.source and not _is_url(event.source):
        parts.append(f"Source: {event.source}")
    return "\n\n".join(parts) or None


def _vevent(event: Event, number: int, item: EventDate) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", f"{event.slug}-{number}@{UID_DOMAIN}")
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    if item.start_time is None or not item.exact:
        component.add("dtstart", item.start_date)
        component.add("dtend", item.end_date + timedelta(days=1))
    else:
        start = _in_vienna(item.start_date, item.start_time)
        component.add("dtstart", start)
        if item.end_time is not None:
            end = _in_vienna(item.end_date, item.end_time)
            if end > start:
                component.add("dtend", end)
    component.add("summary", event.name)
    if location := _location(event):
        component.add("location", location)
    if description := _description(event, item):
        component.add("description", description)
    if not item.exact:
        component.add("status", "TENTATIVE")
        component.add("transp", "TRANSPARENT")
    if _is_url(event.source):
        component.add("url", event.source)
    component.add("categories", [event.kind.value])
    return component


@lru_cache(maxsize=32)
def _vienna(first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of Europe/Vienna, with its transitions from ``first_year`` to ``last_year``."""
    timezone = icalendar.Timezone.from_tzid(
        "Europe/Vienna", first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return bytes(timezone.to_ical())


def calendar_of(events: Sequence[Event], ranges: dict[int, list[EventDate]], window: FeedFilter) -> icalendar.Calendar:
    """The feed: a VTIMEZONE for Vienna, then one VEVENT per date range in the window, earliest first."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    listed: list[tuple[tuple[Any, ...], icalendar.Event]] = []
    for event in events:
        for number, item in enumerate(sorted(ranges.get(event.id, []), key=_range_order), start=1):
            if _in_window(item, window):
                listed.append(((*_range_order(item), event.name, event.id), _vevent(event, number, item)))
    years = [day.year for key, _ in listed for day in key[:2]] or [date.today().year]
    calendar.add_component(icalendar.Timezone.from_ical(_vienna(min(years), max(years))))
    for _, component in sorted(listed, key=lambda pair: pair[0]):
        calendar.add_component(component)
    return calendar


async def _events(window: FeedFilter, viewer: Viewer) -> tuple[list[Event], dict[int, list[EventDate]]]:
    """The events of the feed the caller may see and their date ranges: two statements, whatever the data."""
    events = await every_row(EVENT, viewer, await event_where(window, viewer))
    ranges: dict[int, list[EventDate]] = {}
    if events:
        found = await rows_by(DATES_OF_EVENT, [event.id for event in events], viewer)
        ranges = {event_id: [EVENT_DATE.instance(row) for row in rows] for event_id, rows in found.items()}
    return events, ranges


async def calendar_feed(request: Request) -> Response:
    """The events meeting the query's filter as ``text/calendar``; 400 with a message for a bad parameter."""
    try:
        window = feed_filter(request.query_params.multi_items())
        events, ranges = await _events(window, viewer_of(request.scope))
    except ClientError as error:
        return PlainTextResponse(f"{error}\n", status_code=400)
    except ValidationError as error:  # a value the models reject, e.g. a malformed slug
        return PlainTextResponse(f"Invalid parameter: {error}\n", status_code=400)
    body = calendar_of(events, ranges, window).to_ical()
    return Response(body, media_type=MEDIA_TYPE, headers={"Content-Disposition": 'inline; filename="events.ics"'})
