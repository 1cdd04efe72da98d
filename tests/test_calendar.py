"""GET /calendar.ics: the events as iCalendar, one VEVENT per date range, filtered like `events`."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest

import models
from db.meter import metering
from tests.factories import scratch

VIENNA = ZoneInfo("Europe/Vienna")

EVENTS = """
query Events($filter: EventFilter) { events(filter: $filter, first: 100) { nodes { slug dates { startDate } } } }
"""


async def _feed(client: httpx.AsyncClient, query: str = "") -> icalendar.Calendar:
    response = await client.get(f"/calendar.ics{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.text)


def _vevents(calendar: icalendar.Calendar) -> list[icalendar.Component]:
    return list(calendar.walk("VEVENT"))


def _slug(component: icalendar.Component) -> str:
    return str(component["UID"]).removesuffix("@unodc-partner-directory").rsplit("-", 1)[0]


def _of(calendar: icalendar.Calendar, slug: str) -> list[icalendar.Component]:
    return [component for component in _vevents(calendar) if _slug(component) == slug]


async def _event_slugs(gql: Any, filter: dict[str, Any] | None = None) -> dict[str, int]:
    """Slug -> number of date ranges of the events `events(filter:)` lists."""
    nodes = (await gql.data(EVENTS, {"filter": filter}))["events"]["nodes"]
    return {node["slug"]: len(node["dates"]) for node in nodes if node["dates"]}


def _ranges(calendar: icalendar.Calendar) -> dict[str, int]:
    found: dict[str, int] = {}
    for component in _vevents(calendar):
        found[_slug(component)] = found.get(_slug(component), 0) + 1
    return found


async def test_every_date_range_is_one_vevent(client: httpx.AsyncClient, gql: Any) -> None:
    calendar = await _feed(client)
    assert calendar["VERSION"] == "2.0"
    assert _ranges(calendar) == await _event_slugs(gql)
    uids = [str(component["UID"]) for component in _vevents(calendar)]
    assert len(uids) == len(set(uids))
    for component in _vevents(calendar):
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(component)


async def test_whatson_members_launch_has_four_all_day_ranges(client: httpx.AsyncClient) -> None:
    launch = _of(await _feed(client), "whatson-phase-2-members-launch")
    assert [component.decoded("DTSTART") for component in launch] == [
        dt.date(2023, 3, 13),
        dt.date(2023, 3, 16),
        dt.date(2023, 3, 21),
        dt.date(2023, 3, 22),
    ]
    assert [component.decoded("DTEND") for component in launch] == [
        dt.date(2023, 3, 14),
        dt.date(2023, 3, 17),
        dt.date(2023, 3, 22),
        dt.date(2023, 3, 23),
    ]
    assert [str(component["UID"]) for component in launch] == [
        f"whatson-phase-2-members-launch-{n}@unodc-partner-directory" for n in (1, 2, 3, 4)
    ]
    assert {str(component["SUMMARY"]) for component in launch} == {"Launch of WhatsOn Phase II for WhatsOn Members"}
    assert all(component["DTSTART"].params.get("VALUE") == "DATE" for component in launch)


async def test_ngo_briefing_is_a_date_time_in_vienna(client: httpx.AsyncClient) -> None:
    calendar = await _feed(client)
    [briefing] = _of(calendar, "irg-14-ngo-briefing")
    start, end = briefing.decoded("DTSTART"), briefing.decoded("DTEND")
    assert briefing["DTSTART"].params["TZID"] == briefing["DTEND"].params["TZID"] == "Europe/Vienna"
    assert start == dt.datetime(2023, 6, 13, 13, 15, tzinfo=VIENNA)
    assert end == dt.datetime(2023, 6, 13, 15, 0, tzinfo=VIENNA)
    assert start.astimezone(dt.UTC) == dt.datetime(2023, 6, 13, 11, 15, tzinfo=dt.UTC)
    assert str(briefing["LOCATION"]) == "Boardroom D, Vienna, Austria"
    assert "Implementation Review Group" in str(briefing["DESCRIPTION"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Vienna"]


async def test_se4u_course_is_all_day_with_an_exclusive_end(client: httpx.AsyncClient) -> None:
    [course] = _of(await _feed(client), "se4u-self-paced-course-2023")
    assert course.decoded("DTSTART") == dt.date(2023, 3, 13)
    assert course.decoded("DTEND") == dt.date(2023, 6, 1)
    assert str(course["UID"]) == "se4u-self-paced-course-2023-1@unodc-partner-directory"


@pytest.mark.parametrize(
    ("query", "filter"),
    [
        ("?kinds=LAUNCH", {"kinds": ["LAUNCH"]}),
        ("?kinds=launch,ngo_briefing", {"kinds": ["LAUNCH", "NGO_BRIEFING"]}),
        ("?kinds=LAUNCH&kinds=NGO_BRIEFING", {"kinds": ["LAUNCH", "NGO_BRIEFING"]}),
        ("?formats=ONLINE,SELF_PACED", {"formats": ["ONLINE", "SELF_PACED"]}),
        ("?languages=SP", {"languages": ["ES"]}),
        ("?governingBody=cnd", {"governingBody": "cnd"}),
        ("?instrument=uncac", {"instrument": "uncac"}),
        ("?marginsOf=irg-14", {"marginsOf": "irg-14"}),
        ("?search=briefing", {"search": "briefing"}),
        ("?dateFrom=2023-06-01&dateTo=2023-06-30", {"dateFrom": "2023-06-01", "dateTo": "2023-06-30"}),
    ],
)
async def test_filters_narrow_the_feed_as_they_narrow_events(
    client: httpx.AsyncClient, gql: Any, query: str, filter: dict[str, Any]
) -> None:
    expected = await _event_slugs(gql, filter)
    found = _ranges(await _feed(client, query))
    assert set(found) == set(expected)
    assert 0 < len(found) < len(await _event_slugs(gql))


async def test_organizer_filter_takes_a_slug_or_a_global_id(client: httpx.AsyncClient, gql: Any) -> None:
    organizer = (await gql.data('{ organization(slug: "uncac-coalition") { id } }'))["organization"]["id"]
    by_slug = _ranges(await _feed(client, "?organizer=uncac-coalition"))
    by_id = _ranges(await _feed(client, f"?organizer={organizer}"))
    assert by_slug == by_id
    assert set(by_slug) == set(await _event_slugs(gql, {"organizer": "uncac-coalition"}))


async def test_date_window_keeps_only_the_ranges_in_it(client: httpx.AsyncClient) -> None:
    calendar = await _feed(client, "?dateFrom=2023-03-20&dateTo=2023-03-31&kinds=LAUNCH")
    assert [str(component["UID"]) for component in _vevents(calendar)] == [
        "whatson-phase-2-members-launch-3@unodc-partner-directory",
        "whatson-phase-2-members-launch-4@unodc-partner-directory",
    ]


async def test_an_empty_value_is_no_condition(client: httpx.AsyncClient) -> None:
    assert _ranges(await _feed(client, "?formats=&dateFrom=&search=")) == _ranges(await _feed(client))


async def test_an_empty_feed_is_still_a_calendar(client: httpx.AsyncClient) -> None:
    calendar = await _feed(client, "?dateFrom=1990-01-01&dateTo=1990-12-31")
    assert _vevents(calendar) == []
    assert len(calendar.walk("VTIMEZONE")) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?kinds=PARTY", "kinds"),
        ("?dateFrom=13/03/2023", "dateFrom"),
        ("?dateFrom=2023-04-01&dateTo=2023-03-01", "dateFrom"),
        ("?dateTo=2023-01-01&dateTo=2023-02-01", "dateTo"),
        ("?languages=DE", "languages"),
        ("?organizer=Not%20A%20Slug!", "organizer"),
        ("?governingBody=T3JnYW5pemF0aW9uOjE%3D", "Organization"),
        ("?organizer=R292ZXJuaW5nQm9keTox", "GoverningBody"),
        ("?openForApplicationsAt=2023-02-01T12:00:00", "UTC offset"),
        ("?search=" + "+".join(["word"] * 20), "words"),
        ("?kind=LAUNCH", "Unknown parameter `kind`"),
    ],
)
async def test_a_bad_parameter_is_a_400_with_a_message(client: httpx.AsyncClient, query: str, message: str) -> None:
    response = await client.get(f"/calendar.ics{query}")
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert message in response.text


async def test_the_feed_costs_two_statements_whatever_the_data(client: httpx.AsyncClient) -> None:
    async def statements(query: str = "") -> int:
        with metering() as meter:
            await _feed(client, query)
        return meter.statements

    assert await statements() == 2
    assert await statements("?search=briefing") == 3
    async with scratch("calendar-size") as rows:
        for number in range(10):
            event = await rows.event(f"event {number}", dt.date(2024, 1 + number, 1))
            await models.EventDate.create(event=event, start_date=dt.date(2024, 12, 1), end_date=dt.date(2024, 12, 2))
        assert await statements() == 2
        assert len(_of(await _feed(client), "calendar-size-event-0")) == 2


async def test_a_dialogue_known_only_within_cnd_66_is_tentative_all_day_over_the_range(client: httpx.AsyncClient) -> None:
    calendar = await _feed(client, "?dateFrom=2023-03-14&dateTo=2023-03-14")
    [dialogue] = _of(calendar, "cnd-66-informal-dialogue-cnd-chair")
    assert dialogue.decoded("DTSTART") == dt.date(2023, 3, 13)
    assert dialogue.decoded("DTEND") == dt.date(2023, 3, 18), "all day over the whole range, DTEND exclusive"
    assert str(dialogue["STATUS"]) == "TENTATIVE"
    assert str(dialogue["TRANSP"]) == "TRANSPARENT"
    assert str(dialogue["DESCRIPTION"]).startswith("Exact day not known: the event takes place on some day(s) from 2023-03-13 to 2023-03-17.")
    [session] = _of(calendar, "cnd-66")
    assert "STATUS" not in session, "an exact range is not marked"
