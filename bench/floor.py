"""The floor: the benchmark's questions answered by hand-written SQL, the database building the JSON.

    FLOOR_DATABASE_URL=postgres://... python -m uvicorn --app-dir bench floor:create_app --factory --port 8001

A bare Starlette + asyncpg app, no GraphQL: ``POST /b1`` ... ``POST /b7`` take the body the
directory takes for that shape (``{"query": ..., "variables": {...}}``; the query is ignored, the
variables are read) and return, as the response body, the text of ONE SQL statement's result:
``{"data": ...}`` with the keys and nesting of the directory's answer (``json_build_object``,
``json_agg`` and ``LEFT JOIN LATERAL`` per level). The rows, their order and their values are the
directory's (bench/harness.py compares them before timing); see bench/shapes.py for the documents.

Rules the statements follow, as the directory does for a public caller:
- hidden organizations (``organization.hidden``) are never shown, nor walked through;
- ``members``/``networks`` without ``asOf`` are the memberships that may hold today
  (``bench.membership_holds``: ``since_earliest``/``until_latest`` inclusive, null ends open), by
  membership id; today is the day in Vienna (``models.dates.today``), computed by this process as
  the directory computes it;
- connections return the directory's first page: ``first: N`` is ``LIMIT N`` in the same order
  (the benchmark never asks for ``totalCount``, cursors or ``pageInfo``);
- ``members(depth: 3)`` is the directory's recursive walk (queries/networks.py,
  ``membership_reach_sql``), written out here, certain chains preferred
  (``bench.membership_certain``), paged by distance then membership id (``walk_page``);
- the organization search is the ``search_document`` full-text index, every word a prefix; the list
  is by name then id, as ``organizations(filter: {search})`` is (no typo correction: the
  directory corrects words only when nothing matches, and the benchmark's words always match);
- statistics exclude hidden organizations; M49 regions come from ``bench.m49`` (data/m49.csv,
  loaded by the harness).

``GET /healthz`` answers once the database does; ``GET /__bench/sql`` counts the statements sent.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

VALID_TODAY = "bench.membership_holds(m, $2::date)"
"""A membership ``m`` that may hold on the day bound as ``$2`` (the rule is written once, in bench/bench_schema.sql)."""
CERTAIN_TODAY = "bench.membership_certain(m, $2::date, $2::date)"
"""1 when ``m`` certainly holds on the day bound as ``$2``, that day being today, else 0."""

# Page sizes of the shapes' connections (bench/shapes.py): the directory's first page of each.
B2_MEMBERS = 20
B3_MEMBERS = 100
B3_PARTICIPATIONS = 20
B4_ORGANIZATIONS = 20
B4_NETWORKS = 20
B5_MEMBERS = 100
B5_DEPTH = 3

VIENNA = ZoneInfo("Europe/Vienna")


def today() -> date:
    """The directory's today (models/dates.py): the current day in Vienna."""
    return datetime.now(VIENNA).date()


COUNTRY = "CASE WHEN {o}.country IS NULL THEN NULL ELSE json_build_object('code', {o}.country) END"

# B1 one organization by slug, five scalars.
B1 = """
SELECT json_build_object('data', json_build_object('organization', (
    SELECT json_build_object('name', o.name, 'acronym', o.acronym, 'city', o.city, 'website', o.website,
                             'kind', o.kind)
    FROM organization o WHERE o.slug = $1 AND NOT o.hidden
)))::text
"""

# B2 networks by slug (aliases n0, n1...), each with its first 20 members' name and country code.
B2 = f"""
SELECT json_build_object('data', json_object_agg('n' || (s.position - 1),
    CASE WHEN n.id IS NULL THEN NULL
         ELSE json_build_object('name', n.name, 'members', json_build_object('nodes', COALESCE(members.list, '[]'::json))) END
    ORDER BY s.position))::text
FROM unnest($1::text[]) WITH ORDINALITY AS s(slug, position)
LEFT JOIN organization n ON n.slug = s.slug AND NOT n.hidden
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('member', json_build_object('name', p.name, 'country', {COUNTRY.format(o="p")}))
                    ORDER BY p.id) AS list
    FROM (
        SELECT m.id, o.name, o.country
        FROM membership m
        JOIN organization o ON o.id = m.member_id AND NOT o.hidden
        WHERE m.network_id = n.id AND {VALID_TODAY}
        ORDER BY m.id
        LIMIT {B2_MEMBERS}
    ) p
) members ON TRUE
"""

# B3 one network, its first 100 members, and each member's first 20 participations' events.
B3 = f"""
SELECT json_build_object('data', json_build_object('organization',
    CASE WHEN n.id IS NULL THEN NULL
         ELSE json_build_object('name', n.name, 'members', json_build_object('nodes', COALESCE(members.list, '[]'::json))) END
))::text
FROM (SELECT 1) AS one
LEFT JOIN organization n ON n.slug = $1 AND NOT n.hidden
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('member', json_build_object(
               'name', o.name, 'participations', json_build_object('nodes', COALESCE(participations.list, '[]'::json))))
           ORDER BY o.membership_id) AS list
    FROM (
        SELECT m.id AS membership_id, o.id, o.name
        FROM membership m
        JOIN organization o ON o.id = m.member_id AND NOT o.hidden
        WHERE m.network_id = n.id AND {VALID_TODAY}
        ORDER BY m.id
        LIMIT {B3_MEMBERS}
    ) o
    LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object('event', json_build_object('name', e.name)) ORDER BY p.id) AS list
        FROM (
            SELECT p.id, p.event_id FROM participation p WHERE p.organization_id = o.id ORDER BY p.id LIMIT {B3_PARTICIPATIONS}
        ) p
        JOIN event e ON e.id = p.event_id
    ) participations ON TRUE
) members ON TRUE
"""

# B4 the first 20 organizations (by name) matching a search, with their first 20 networks' names.
B4 = f"""
SELECT json_build_object('data', json_build_object('organizations', json_build_object('nodes',
    COALESCE(json_agg(json_build_object('name', o.name, 'networks', json_build_object('nodes', COALESCE(networks.list, '[]'::json)))
                      ORDER BY o.name, o.id), '[]'::json)
)))::text
FROM (
    SELECT o.id, o.name
    FROM organization o
    WHERE NOT o.hidden
      AND o.id IN (SELECT d.entity_id FROM search_document d
                   WHERE d.entity_type = 'Organization' AND d.tsv @@ to_tsquery('simple', $1))
    ORDER BY o.name, o.id
    LIMIT {B4_ORGANIZATIONS}
) o
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('network', json_build_object('name', p.name)) ORDER BY p.id) AS list
    FROM (
        SELECT m.id, n.name
        FROM membership m
        JOIN organization n ON n.id = m.network_id AND NOT n.hidden
        WHERE m.member_id = o.id AND {VALID_TODAY}
        ORDER BY m.id
        LIMIT {B4_NETWORKS}
    ) p
) networks ON TRUE
"""

# B5 a network's members to depth 3, the first 100: each organization reached once, at its shortest
# distance, with the membership of the last hop (queries/networks.py: membership_reach_sql; a certain
# chain first, then a running membership, the one that ended last, the lowest predecessor id, the
# lowest membership id), every direct membership listed; by distance then membership id (walk_page).
B5 = f"""
WITH RECURSIVE start AS (
    SELECT s.id, s.name FROM organization s WHERE s.slug = $1 AND NOT s.hidden
),
reach(organization_id, distance, via_id, membership_id, certain) AS (
    SELECT id, 0, id, 0, 1 FROM start
  UNION
    SELECT m.member_id, r.distance + 1, r.organization_id, m.id, r.certain * {CERTAIN_TODAY}
    FROM reach r
    JOIN membership m ON m.network_id = r.organization_id
    JOIN organization o ON o.id = m.member_id
    WHERE r.distance < {B5_DEPTH}
      AND m.member_id <> (SELECT id FROM start)
      AND {VALID_TODAY} AND NOT o.hidden
),
nearest(organization_id, distance) AS (
    SELECT organization_id, MIN(distance) FROM reach GROUP BY organization_id
),
hop AS (
    SELECT r.distance, m.id, m.member_id,
           ROW_NUMBER() OVER (
               PARTITION BY r.organization_id
               ORDER BY r.certain DESC, m.until_latest IS NULL DESC, m.until_latest DESC, r.via_id, m.id
           ) AS choice
    FROM reach r
    JOIN nearest n ON n.organization_id = r.organization_id AND n.distance = r.distance
    JOIN membership m ON m.id = r.membership_id
    WHERE r.distance > 0
),
page AS (
    SELECT h.distance, h.id, h.member_id FROM hop h
    WHERE h.distance = 1 OR h.choice = 1
    ORDER BY h.distance, h.id
    LIMIT {B5_MEMBERS}
)
SELECT json_build_object('data', json_build_object('organization',
    CASE WHEN n.id IS NULL THEN NULL
         ELSE json_build_object('name', n.name, 'members', json_build_object('nodes', COALESCE((
             SELECT json_agg(json_build_object('distance', h.distance, 'member', json_build_object('name', o.name))
                             ORDER BY h.distance, h.id)
             FROM page h JOIN organization o ON o.id = h.member_id
         ), '[]'::json))) END
))::text
FROM (SELECT 1) AS one
LEFT JOIN start n ON TRUE
"""

# B6 `_entities` of organizations by primary key, in the order asked; null for unknown or hidden.
B6 = f"""
SELECT json_build_object('data', json_build_object('_entities', COALESCE(json_agg(
    CASE WHEN o.id IS NULL THEN NULL
         ELSE json_build_object('name', o.name, 'country', {COUNTRY.format(o="o")}) END
    ORDER BY r.position), '[]'::json)))::text
FROM unnest($1::int[]) WITH ORDINALITY AS r(id, position)
LEFT JOIN organization o ON o.id = r.id AND NOT o.hidden
"""

# B7 organizations per country and per M49 region: largest count first, then ISO code / M49 code.
B7 = """
WITH per_country AS (
    SELECT o.country, count(*)::int AS count
    FROM organization o
    WHERE NOT o.hidden AND o.country IS NOT NULL
    GROUP BY o.country
)
SELECT json_build_object('data', json_build_object('organizationStats', json_build_object(
    'byCountry', (SELECT COALESCE(json_agg(json_build_object('country', json_build_object('code', c.country), 'count', c.count)
                                           ORDER BY c.count DESC, c.country COLLATE "C"), '[]'::json)
                  FROM per_country c),
    'byRegion', (SELECT COALESCE(json_agg(json_build_object('region', json_build_object('name', r.region), 'count', r.count)
                                          ORDER BY r.count DESC, r.region_code), '[]'::json)
                 FROM (SELECT m.region_code, m.region, sum(c.count)::int AS count
                       FROM per_country c JOIN bench.m49 m ON m.country = c.country
                       GROUP BY m.region_code, m.region) r)
)))::text
"""

_WORD = re.compile(r"[^\W_]+")
_NUMBERED = re.compile(r"s(\d+)")


def _tsquery(words: str) -> str:
    """``'w1':* & 'w2':*``, as queries/search.py builds it (the words arrive folded)."""
    return " & ".join(f"'{word}':*" for word in _WORD.findall(words.casefold()))


def _pk(representation: dict[str, Any]) -> int | None:
    """The primary key of an Organization representation ``{__typename, id: base64("Organization:pk")}``."""
    try:
        type_name, pk = base64.b64decode(representation["id"]).decode().split(":", 1)
        return int(pk) if type_name == "Organization" and representation.get("__typename") == "Organization" else None
    except (KeyError, ValueError, TypeError):
        return None


def _slugs(variables: dict[str, Any]) -> list[str]:
    numbered = sorted((int(match.group(1)), value) for name, value in variables.items() if (match := _NUMBERED.fullmatch(name)))
    return [value for _, value in numbered]


Arguments = Callable[[dict[str, Any]], tuple[Any, ...]]

QUESTIONS: dict[str, tuple[str, Arguments]] = {
    "b1": (B1, lambda v: (v["slug"],)),
    "b2": (B2, lambda v: (_slugs(v), today())),
    "b3": (B3, lambda v: (v["slug"], today())),
    "b4": (B4, lambda v: (_tsquery(v["words"]), today())),
    "b5": (B5, lambda v: (v["slug"], today())),
    "b6": (B6, lambda v: ([_pk(r) for r in v["representations"]],)),
    "b7": (B7, lambda v: ()),
}


def create_app() -> Starlette:
    """The floor app; the database is ``FLOOR_DATABASE_URL`` (else ``DATABASE_URL``)."""
    database_url = os.environ.get("FLOOR_DATABASE_URL") or os.environ["DATABASE_URL"]
    state: dict[str, Any] = {"statements": 0}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["pool"] = await asyncpg.create_pool(database_url, min_size=2, max_size=10)
        try:
            yield
        finally:
            await state["pool"].close()

    def answer(sql: str, arguments: Arguments) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            variables = orjson.loads(await request.body()).get("variables") or {}
            try:
                values = arguments(variables)
            except (KeyError, TypeError, AttributeError) as error:
                return JSONResponse({"errors": [{"message": f"bad variables: {error!r}"}]}, status_code=400)
            state["statements"] += 1
            body = await state["pool"].fetchval(sql, *values)
            return Response(body, media_type="application/json")

        return endpoint

    async def healthz(request: Request) -> Response:
        await state["pool"].fetchval("SELECT 1")
        return JSONResponse({"status": "ok"})

    async def statements(request: Request) -> Response:
        return JSONResponse({"statements": state["statements"]})

    routes = [Route(f"/{name}", answer(sql, arguments), methods=["POST"]) for name, (sql, arguments) in QUESTIONS.items()]
    routes += [Route("/healthz", healthz), Route("/__bench/sql", statements)]
    return Starlette(routes=routes, lifespan=lifespan)
