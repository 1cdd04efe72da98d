-- Schema `bench`: what the benchmark's references need on top of the project's tables.
--
-- bench/harness.py drops and re-creates it on every run, after `manage.py migrate` (it drops it
-- before migrating too, so these views never hold a migration up). The project never reads it.
--
-- PostGraphile 4 (bench/postgraphile.js) exposes `public` and `bench`: the views below give it the
-- relations the directory answers with (current memberships between visible organizations), the
-- functions the root fields it has no equivalent for (search, entities by id, members to depth 3,
-- statistics). The floor (bench/floor.py) reads `bench.m49` for the M49 regions.
--
-- The rules the directory applies for a public caller are written once here: a membership may hold
-- on a day (bench.membership_holds), how certainly (bench.membership_certain, which orders the walk's
-- choices), and hidden organizations are never shown. "Today" is the day in Vienna, as the
-- directory's (models/dates.py): bench.today() in the views and functions PostGraphile reads; the
-- floor computes the same day and passes it.

CREATE SCHEMA bench;
COMMENT ON SCHEMA bench IS 'Benchmark helpers (bench/harness.py); dropped and re-created by every run';

-- data/m49.csv, loaded by the harness (COPY).
CREATE TABLE bench.m49 (
    country text PRIMARY KEY,
    region_code text NOT NULL,
    region text NOT NULL
);
COMMENT ON TABLE bench.m49 IS E'@omit';

-- The directory's today: the current day in Vienna (models/dates.py: today()), whatever the
-- database's time zone.
CREATE FUNCTION bench.today() RETURNS date
LANGUAGE sql STABLE AS $$
SELECT (now() AT TIME ZONE 'Europe/Vienna')::date
$$;
COMMENT ON FUNCTION bench.today() IS E'@omit';

-- Whether a membership may hold on a day (models/dates.py, Period.possible_sql): it cannot hold
-- before the earliest day its start can be, nor after the latest day its end can be; an unknown
-- start (null) or a null end leave that side open. Inlined by PostgreSQL (one SQL expression).
-- Change it here when the directory's rule changes; the floor and the views below follow.
CREATE FUNCTION bench.membership_holds(m public.membership, day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
SELECT (m.since_earliest IS NULL OR m.since_earliest <= day) AND (m.until_latest IS NULL OR m.until_latest >= day)
$$;
COMMENT ON FUNCTION bench.membership_holds(public.membership, date) IS E'@omit';

-- 1 when a membership that may hold on `day` certainly holds then, else 0 (models/dates.py,
-- Period.certainty_sql, `today` the directory's today): started when the latest day its start can be
-- is passed (or, from today on, when neither end is known: a period recorded as current), and not
-- ended before the earliest day its end can be. The walk prefers certain chains to uncertain ones.
CREATE FUNCTION bench.membership_certain(m public.membership, day date, today date) RETURNS integer
LANGUAGE sql STABLE AS $$
SELECT CASE
    WHEN (m.since_latest <= day OR (day >= today AND m.since_latest IS NULL AND m.until_latest IS NULL))
     AND (m.until_latest IS NULL OR m.until_earliest >= day)
    THEN 1 ELSE 0 END
$$;
COMMENT ON FUNCTION bench.membership_certain(public.membership, date, date) IS E'@omit';

-- Memberships that may hold today between two visible organizations: what `members` and `networks`
-- (depth 1, asOf omitted) list for a public caller, by membership id (pages: `first` on the relation).
CREATE VIEW bench.current_membership AS
SELECT m.id, m.member_id, m.network_id, m.type
FROM public.membership m
JOIN public.organization member ON member.id = m.member_id AND NOT member.hidden
JOIN public.organization network ON network.id = m.network_id AND NOT network.hidden
WHERE bench.membership_holds(m, bench.today());
COMMENT ON VIEW bench.current_membership IS E'@primaryKey id\n@foreignKey (member_id) references public.organization (id)\n@foreignKey (network_id) references public.organization (id)';

-- The row type of `members_to_depth` (a view, so that PostGraphile can follow its foreign keys).
CREATE VIEW bench.reached_membership AS
SELECT 0 AS start_id, 0 AS distance, m.id, m.member_id, m.network_id, m.type
FROM public.membership m
WHERE false;
COMMENT ON VIEW bench.reached_membership IS E'@omit all,many\n@foreignKey (member_id) references public.organization (id)|@omit many\n@foreignKey (network_id) references public.organization (id)|@omit many';

-- `organization(slug:) { members(depth:) }`: the directory's walk (queries/networks.py,
-- membership_reach_sql, as of today, visible organizations only), rows by distance then membership id
-- (queries/networks.py: walk_page); `first` pages it. Each organization reached appears once, at its
-- shortest distance, with the membership of the last hop: a certain chain first, then a membership
-- still running, then the one that ended last, then the lowest predecessor id, then the lowest
-- membership id. Every direct membership (distance 1) is listed.
CREATE FUNCTION bench.members_to_depth(slug text, depth integer) RETURNS SETOF bench.reached_membership
LANGUAGE sql STABLE AS $$
WITH RECURSIVE day(today) AS (SELECT bench.today()),
reach(start_id, organization_id, distance, via_id, membership_id, certain) AS (
    SELECT s.id, s.id, 0, s.id, 0, 1 FROM public.organization s WHERE s.slug = members_to_depth.slug AND NOT s.hidden
  UNION
    SELECT r.start_id, m.member_id, r.distance + 1, r.organization_id, m.id,
           r.certain * bench.membership_certain(m, d.today, d.today)
    FROM reach r
    CROSS JOIN day d
    JOIN public.membership m ON m.network_id = r.organization_id
    JOIN public.organization o ON o.id = m.member_id
    WHERE r.distance < members_to_depth.depth AND m.member_id <> r.start_id
      AND bench.membership_holds(m, d.today) AND NOT o.hidden
),
nearest(start_id, organization_id, distance) AS (
    SELECT start_id, organization_id, MIN(distance) FROM reach GROUP BY start_id, organization_id
),
hop AS (
    SELECT r.start_id, r.distance, m.id, m.member_id, m.network_id, m.type,
           ROW_NUMBER() OVER (
               PARTITION BY r.start_id, r.organization_id
               ORDER BY r.certain DESC, m.until_latest IS NULL DESC, m.until_latest DESC, r.via_id, m.id
           ) AS choice
    FROM reach r
    JOIN nearest n ON n.start_id = r.start_id AND n.organization_id = r.organization_id AND n.distance = r.distance
    JOIN public.membership m ON m.id = r.membership_id
    WHERE r.distance > 0
)
SELECT start_id, distance, id, member_id, network_id, type
FROM hop
WHERE distance = 1 OR choice = 1
ORDER BY distance, id
$$;

-- `organizations(filter: {search: $words}, first: 20)`: every word a prefix of an indexed word
-- (the directory folds the query; the benchmark sends folded words), visible organizations by name
-- then id; `first` pages it. No typo correction (the directory corrects only when nothing matches; the benchmark's words match).
CREATE FUNCTION bench.search_organizations(words text) RETURNS SETOF public.organization
LANGUAGE sql STABLE AS $$
SELECT o.*
FROM public.organization o
WHERE NOT o.hidden
  AND o.id IN (
    SELECT d.entity_id FROM public.search_document d
    WHERE d.entity_type = 'Organization'
      AND d.tsv @@ to_tsquery('simple', (
        SELECT string_agg(quote_literal(w) || ':*', ' & ')
        FROM regexp_split_to_table(btrim(search_organizations.words), '\s+') AS w
      ))
  )
ORDER BY o.name, o.id
$$;

-- `_entities` for organizations: visible ones, in the order asked (unknown and hidden ones left out).
CREATE FUNCTION bench.organizations_by_ids(ids integer[]) RETURNS SETOF public.organization
LANGUAGE sql STABLE AS $$
SELECT o.*
FROM unnest(organizations_by_ids.ids) WITH ORDINALITY AS r(id, position)
JOIN public.organization o ON o.id = r.id AND NOT o.hidden
ORDER BY r.position
$$;

-- `organizationStats { byCountry byRegion }`: largest count first, then ISO code / M49 code.
CREATE TYPE bench.country_count AS (country text, count integer);
CREATE FUNCTION bench.organization_count_by_country() RETURNS SETOF bench.country_count
LANGUAGE sql STABLE AS $$
SELECT country::text, count(*)::integer
FROM public.organization
WHERE NOT hidden AND country IS NOT NULL
GROUP BY country
ORDER BY count(*) DESC, country COLLATE "C"
$$;

CREATE TYPE bench.region_count AS (code text, name text, count integer);
CREATE FUNCTION bench.organization_count_by_region() RETURNS SETOF bench.region_count
LANGUAGE sql STABLE AS $$
SELECT r.region_code, r.region, count(*)::integer
FROM public.organization o
JOIN bench.m49 r ON r.country = o.country
WHERE NOT o.hidden
GROUP BY r.region_code, r.region
ORDER BY count(*) DESC, r.region_code
$$;
