"""Which known organization a record names: the one set of rules for loading and importing member lists.

A record (a member of a network's list, a network) names an organization:

1. by an explicit ``slug``, a curator's pin: it must be known;
2. else by its website's domain (``website_domain``: the lower-case host
   without ``www.``), when exactly one known organization has that domain
   and the countries do not differ. A domain several organizations share,
   or one of the hosts anybody can have a page on (``SHARED_HOSTS``),
   identifies none;
3. else by its name (``name_key``: folded, without a leading "the"; a known
   organization's aliases and former names count as its names) plus
   country. Countries must be equal when both are known; a match where one
   country is unknown is allowed only when exactly one known organization
   has that name.

Several organizations that fit equally well make the record ambiguous
(``MatchError``): a curator pins it with a slug. Nothing here reads files or
the database: the caller adds what it knows (``Matcher.add``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.text import normalize, words
from models.validators import validate_slug

SHARED_HOSTS = frozenset(
    {
        "facebook.com", "m.facebook.com", "linkedin.com", "twitter.com", "x.com", "instagram.com", "youtube.com",
        "sites.google.com", "docs.google.com", "linktr.ee", "medium.com",
    }
)  # fmt: skip
"""Hosts whose pages belong to many organizations: a website there identifies none."""

SLUG_LENGTH = 80
"""Longest slug made from a name (before a uniqueness suffix); the column holds 100."""


class MatchError(ValueError):
    """A record names no organization it could (an unknown slug) or several at once (ambiguous)."""


def website_domain(url: str | None) -> str | None:
    """The host of a web address, lower case, without ``www.``, scheme, port or path; None without a host."""
    if not url or not url.strip():
        return None
    text = url.strip()
    if "://" not in text:
        text = f"http://{text}"
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    host = host.removeprefix("www.")
    return host if "." in host else None


def name_key(name: str) -> str:
    """The form names are compared in: folded words (``domain.text.normalize``), "&" read as "and", no leading "the"."""
    key = normalize(name.replace("&", " and "))
    return key.removeprefix("the ") if key != "the" else key


def countries_agree(a: str | None, b: str | None) -> bool:
    """Whether two countries may be the same: equal, or at least one unknown."""
    return a is None or b is None or a == b


@dataclass(frozen=True)
class KnownOrganization:
    """An organization the directory (or the list being read) already has.

    ``acronym`` is kept for messages only: acronyms are shared too widely (TI,
    ISS...) to match on.
    """

    slug: str
    name: str
    other_names: tuple[str, ...] = ()
    """Aliases and former names."""
    acronym: str | None = None
    country: str | None = None
    website: str | None = None

    def name_keys(self) -> set[str]:
        """The keys of every name it goes by."""
        return {key for key in map(name_key, (self.name, *self.other_names)) if key}

    def __str__(self) -> str:
        country = f", {self.country}" if self.country else ""
        return f"{self.slug!r} ({self.name}{country})"


@dataclass(frozen=True)
class Candidate:
    """What a record says about the organization it names."""

    name: str
    slug: str | None = None
    country: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class Match:
    """The organization a record names, and by which rule (``slug``, ``website`` or ``name``)."""

    organization: KnownOrganization
    rule: str


class Matcher:
    """An index of known organizations by slug, website domain and name."""

    def __init__(self, known: Iterable[KnownOrganization] = ()) -> None:
        self._by_slug: dict[str, KnownOrganization] = {}
        self._by_domain: dict[str, set[str]] = {}
        self._by_name: dict[str, set[str]] = {}
        for organization in known:
            self.add(organization)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def __len__(self) -> int:
        return len(self._by_slug)

    def get(self, slug: str) -> KnownOrganization | None:
        """The known organization with ``slug``, if any."""
        return self._by_slug.get(slug)

    def add(self, organization: KnownOrganization) -> None:
        """Know ``organization``; it replaces one known by the same slug."""
        self.remove(organization.slug)
        self._by_slug[organization.slug] = organization
        domain = website_domain(organization.website)
        if domain:
            self._by_domain.setdefault(domain, set()).add(organization.slug)
        for key in organization.name_keys():
            self._by_name.setdefault(key, set()).add(organization.slug)

    def remove(self, slug: str) -> None:
        """Forget the organization with ``slug`` (nothing when unknown)."""
        known = self._by_slug.pop(slug, None)
        if known is None:
            return
        domain = website_domain(known.website)
        if domain:
            self._by_domain[domain].discard(slug)
        for key in known.name_keys():
            self._by_name[key].discard(slug)

    def find(self, candidate: Candidate) -> Match | None:
        """The organization ``candidate`` names by the rules of the module; None when it names no known one.

        Raises ``MatchError`` for an unknown slug, or when several organizations fit.
        """
        if candidate.slug is not None:
            known = self._by_slug.get(candidate.slug)
            if known is None:
                raise MatchError(f"no organization has the slug {candidate.slug!r}")
            return Match(known, "slug")
        by_website = self._by_website(candidate)
        if by_website is not None:
            return Match(by_website, "website")
        by_name = self._by_name_and_country(candidate)
        return Match(by_name, "name") if by_name is not None else None

    def _by_website(self, candidate: Candidate) -> KnownOrganization | None:
        domain = website_domain(candidate.website)
        if domain is None or domain in SHARED_HOSTS:
            return None
        slugs = self._by_domain.get(domain, set())
        if len(slugs) != 1:
            return None
        known = self._by_slug[next(iter(slugs))]
        return known if countries_agree(known.country, candidate.country) else None

    def _by_name_and_country(self, candidate: Candidate) -> KnownOrganization | None:
        named = sorted((self._by_slug[slug] for slug in self._by_name.get(name_key(candidate.name), ())), key=_slug)
        if candidate.country is not None:
            same = [known for known in named if known.country == candidate.country]
            if len(same) > 1:
                raise MatchError(_ambiguous(candidate, same))
            if same:
                return same[0]
        if len(named) > 1 and candidate.country is None:
            raise MatchError(_ambiguous(candidate, named))
        if len(named) == 1 and countries_agree(named[0].country, candidate.country):
            return named[0]
        return None

    def new_slug(self, name: str) -> str:
        """A slug for a new organization called ``name``: its words, unique among the known slugs by a suffix."""
        base = slug_of_name(name)
        slug, number = base, 1
        while slug in self._by_slug:
            number += 1
            slug = f"{base}-{number}"
        validate_slug(slug)
        return slug


def slug_of_name(name: str) -> str:
    """The slug a name spells: its folded ASCII words joined by hyphens (``organization`` when it has none)."""
    parts = ["".join(c for c in word if c.isascii() and c.isalnum()) for word in words(name_key(name))]
    slug = ""
    for part in filter(None, parts):
        longer = f"{slug}-{part}" if slug else part[:SLUG_LENGTH]
        if len(longer) > SLUG_LENGTH:
            break
        slug = longer
    slug = slug or "organization"
    validate_slug(slug)
    return slug


def _slug(known: KnownOrganization) -> str:
    return known.slug


def _ambiguous(candidate: Candidate, known: list[KnownOrganization]) -> str:
    country = f" in {candidate.country}" if candidate.country else ""
    names = ", ".join(str(organization) for organization in known)
    return f"{candidate.name!r}{country} could be any of {names}: pin it with a slug"
