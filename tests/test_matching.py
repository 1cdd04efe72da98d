"""Which known organization a record names (``domain.matching``): no database."""

from __future__ import annotations

import pytest

from domain.matching import Candidate, KnownOrganization, Matcher, MatchError, name_key, slug_of_name, website_domain

TI = KnownOrganization("ti", "Transparency International", acronym="TI", website="https://www.transparency.org")
TI_KENYA = KnownOrganization("ti-kenya", "Transparency International Kenya", country="KE")
CENTRE_KE = KnownOrganization("centre-ke", "Centre for Governance", country="KE")
CENTRE_UG = KnownOrganization("centre-ug", "Centre for Governance", country="UG")
GI_TOC = KnownOrganization(
    "gi-toc", "Global Initiative against Transnational Organized Crime", ("The Global Initiative",), "GI-TOC"
)


def _matcher(*known: KnownOrganization) -> Matcher:
    return Matcher(known or (TI, TI_KENYA, CENTRE_KE, CENTRE_UG, GI_TOC))


def _found(matcher: Matcher, candidate: Candidate) -> tuple[str, str] | None:
    match = matcher.find(candidate)
    return None if match is None else (match.organization.slug, match.rule)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Transparency.org/en/", "transparency.org"),
        ("http://nyngoc.org", "nyngoc.org"),
        ("transparency.org", "transparency.org"),
        ("www.access-info.org/es/", "access-info.org"),
        ("https://uncaccoalition.org:443/anti-corruption-platforms/africa/", "uncaccoalition.org"),
        ("https://user@ti-ukraine.org.", "ti-ukraine.org"),
        ("", None),
        ("not a website", None),
        (None, None),
    ],
)
def test_a_website_is_compared_by_its_domain(url: str | None, domain: str | None) -> None:
    assert website_domain(url) == domain


def test_names_are_compared_folded_and_without_a_leading_the() -> None:
    assert name_key("The Global Initiative") == name_key("global  initiative") == "global initiative"
    assert (
        name_key("Asociación Civil por la Igualdad y la Justicia") == "asociacion civil por la igualdad y la justicia"
    )
    assert name_key("Alliance of NGOs on Crime Prevention & Criminal Justice") == name_key(
        "Alliance of NGOs on Crime Prevention and Criminal Justice"
    )
    assert name_key("Theatre for Change") == "theatre for change"


def test_an_explicit_slug_wins_and_must_be_known() -> None:
    matcher = _matcher()
    assert _found(matcher, Candidate("GI TOC", slug="gi-toc")) == ("gi-toc", "slug")
    assert _found(matcher, Candidate("Transparency International", slug="gi-toc")) == ("gi-toc", "slug")
    with pytest.raises(MatchError, match="no organization has the slug 'nobody'"):
        matcher.find(Candidate("Nobody", slug="nobody"))


def test_the_website_domain_comes_before_the_name() -> None:
    matcher = _matcher()
    assert _found(matcher, Candidate("TI Secretariat", website="http://transparency.org/en/about")) == ("ti", "website")
    assert _found(matcher, Candidate("Transparency International")) == ("ti", "name")


def test_a_website_of_a_conflicting_country_or_a_shared_domain_identifies_nobody() -> None:
    site = KnownOrganization("watch", "Watch", country="KE", website="https://watch.example")
    matcher = _matcher(site)
    assert matcher.find(Candidate("Other", country="UG", website="watch.example")) is None
    assert _found(matcher, Candidate("Other", website="watch.example")) == ("watch", "website")
    matcher.add(KnownOrganization("watch-page", "Watch page", website="https://watch.example/page"))
    assert matcher.find(Candidate("Other", website="watch.example")) is None, "two organizations share the domain"
    matcher.add(KnownOrganization("on-facebook", "On Facebook", website="https://facebook.com/onfacebook"))
    assert matcher.find(Candidate("Someone else", website="https://www.facebook.com/someoneelse")) is None


def test_a_name_matches_with_the_same_country_or_when_it_is_the_only_one() -> None:
    matcher = _matcher()
    assert _found(matcher, Candidate("Centre for Governance", country="KE")) == ("centre-ke", "name")
    assert _found(matcher, Candidate("CENTRE FOR GOVERNANCE", country="UG")) == ("centre-ug", "name")
    assert matcher.find(Candidate("Centre for Governance", country="TZ")) is None
    assert _found(matcher, Candidate("Transparency International Kenya")) == ("ti-kenya", "name")
    assert matcher.find(Candidate("Transparency International Kenya", country="UG")) is None
    assert _found(matcher, Candidate("Transparency International", country="DE")) == ("ti", "name")


def test_a_name_with_an_unknown_country_that_several_have_is_ambiguous() -> None:
    with pytest.raises(MatchError, match=r"could be any of 'centre-ke'.*'centre-ug'.*pin it with a slug"):
        _matcher().find(Candidate("Centre for Governance"))


def test_a_name_known_with_and_without_a_country_is_no_match_for_a_third_country() -> None:
    matcher = _matcher(CENTRE_KE, KnownOrganization("centre", "Centre for Governance"))
    assert _found(matcher, Candidate("Centre for Governance", country="KE")) == ("centre-ke", "name")
    assert matcher.find(Candidate("Centre for Governance", country="UG")) is None


def test_aliases_and_former_names_are_names() -> None:
    assert _found(_matcher(), Candidate("Global Initiative")) == ("gi-toc", "name")


def test_adding_a_known_slug_again_replaces_it() -> None:
    matcher = _matcher(TI)
    matcher.add(KnownOrganization("ti", "Transparency International e.V.", website="https://ti.example"))
    assert matcher.find(Candidate("Transparency International")) is None
    assert _found(matcher, Candidate("x", website="https://www.transparency.org")) is None
    assert _found(matcher, Candidate("x", website="ti.example")) == ("ti", "website")
    assert len(matcher) == 1


def test_a_new_slug_is_made_from_the_name_and_kept_unique() -> None:
    matcher = _matcher(KnownOrganization("access-info-europe", "Access Info Europe"))
    assert matcher.new_slug("Access Info Europe") == "access-info-europe-2"
    matcher.add(KnownOrganization("access-info-europe-2", "Access Info Europe", country="ES"))
    assert matcher.new_slug("Access Info Europe") == "access-info-europe-3"
    assert matcher.new_slug("The Example Watch") == "example-watch"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        (
            "Asociación Civil por la Igualdad y la Justicia (ACIJ)",
            "asociacion-civil-por-la-igualdad-y-la-justicia-acij",
        ),
        ("NGO Committee on Children’s Rights/NY", "ngo-committee-on-children-s-rights-ny"),
        ("Fundación Multitudes", "fundacion-multitudes"),
        ("Центр", "organization"),
        ("A" * 120, "a" * 80),
    ],
)
def test_a_slug_of_a_name_is_ascii_words_joined_by_hyphens(name: str, slug: str) -> None:
    assert slug_of_name(name) == slug
    assert len(slug_of_name("word " * 40)) <= 80
