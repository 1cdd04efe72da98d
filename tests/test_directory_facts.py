"""Facts of the UNODC directory, read the way users read them: through the API."""

from __future__ import annotations

from typing import Any

from tests.factories import unpaged


async def test_seed_names_of_branches_are_aliases_of_the_real_ones(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ ceb: office(slug: "ceb") { name acronym aliases kind parent { slug } }
             ocb: office(slug: "ocb") { name aliases } }"""
    ))
    assert data["ceb"] == {
        "name": "Corruption and Economic Crime Branch",
        "acronym": "CEB",
        "aliases": ["Crime and Economic Branch"],
        "kind": "BRANCH",
        "parent": {"slug": "dta"},
    }
    assert data["ocb"]["name"] == "Organized Crime and Illicit Trafficking Branch"
    assert "Organized Crime Branch" in data["ocb"]["aliases"]


async def test_civil_society_unit_works_through_glou68_with_its_partners(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ office(slug: "csu") {
               name acronym aliases projectCodes parent { slug }
               partnerships { nodes { kind partner { __typename ... on Office { slug } ... on Organization { slug } } } }
           } }"""
    ))
    csu = data["office"]
    assert csu["name"] == "Civil Society Unit" and csu["acronym"] == "CSU"
    assert "Civil Society Team" in csu["aliases"]
    assert csu["projectCodes"] == ["GLOU68"]
    partners = {p["partner"]["slug"]: p["kind"] for p in csu["partnerships"]}
    assert {"ceb", "ocb", "dhb", "sgb", "uncac-coalition", "vngoc", "alliance"} <= partners.keys()
    assert "ebrd" not in partners


async def test_the_alliance_has_a_memorandum_of_understanding_with_unodc(gql: Any) -> None:
    data = unpaged(await gql.data(
        '{ organization(slug: "alliance") { partnerships { nodes { kind office { slug } } } } }'
    ))
    assert {"kind": "MOU", "office": {"slug": "unodc"}} in data["organization"]["partnerships"]


async def test_ebrd_is_an_unlinked_intergovernmental_organization(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ organization(slug: "ebrd") {
               kind acronym yearFounded ecosocStatus country { name }
               partnerships { nodes { kind } } networks { nodes { type } } members { nodes { type } }
           } }"""
    ))
    assert data["organization"] == {
        "kind": "INTERGOVERNMENTAL_ORGANIZATION",
        "acronym": "EBRD",
        "yearFounded": 1991,
        "ecosocStatus": None,
        "country": {"name": "United Kingdom"},
        "partnerships": [],
        "networks": [],
        "members": [],
    }


async def test_regional_office_went_from_bulgaria_to_vienna_to_istanbul(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ office(slug: "rosee") {
               established { edtf precision }
               unknown: location(asOf: "2004-12-31") { city }
               bulgaria: location(asOf: "2007-01-01") { city country { code } certainty }
               moving: location(asOf: "2010-06-01") { city country { code } certainty }
               before: location(asOf: "2023-02-28") { city country { code name } certainty }
               after: location(asOf: "2023-03-01") { city country { code name region { name } } certainty }
               locations { city validFrom { edtf precision } validTo { edtf } certainty }
           } }"""
    ))
    rosee = data["office"]
    assert rosee["established"] == {"edtf": "2005", "precision": "YEAR"}
    assert rosee["unknown"] is None, "before its first known location the answer is unknown, never Vienna"
    assert rosee["bulgaria"] == {"city": None, "country": {"code": "BG"}, "certainty": "CERTAIN"}
    assert rosee["moving"]["certainty"] == "UNCERTAIN", "it moved to Vienna some day of 2010-11"
    assert rosee["before"] == {"city": "Vienna", "country": {"code": "AT", "name": "Austria"}, "certainty": "CERTAIN"}
    assert rosee["after"] == {
        "city": "Istanbul",
        "country": {"code": "TR", "name": "Türkiye", "region": {"name": "Asia"}},
        "certainty": "CERTAIN",
    }
    assert rosee["locations"] == [
        {"city": None, "validFrom": {"edtf": "2005", "precision": "YEAR"}, "validTo": {"edtf": "[2010..2011]"}, "certainty": None},
        {"city": "Vienna", "validFrom": {"edtf": "[2010..2011]", "precision": "YEAR"}, "validTo": {"edtf": "2023-02-28"}, "certainty": None},
        {"city": "Istanbul", "validFrom": {"edtf": "2023-03-01", "precision": "DAY"}, "validTo": None, "certainty": None},
    ]


async def test_networks_of_networks(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ alliance: organization(slug: "alliance") {
               kind founded { edtf }
               networks { nodes { type network { slug } } }
               members { nodes { type member { slug } } }
             }
             vngoc: organization(slug: "vngoc") {
               ecosocStatus ecosocSince
               today: networks { nodes { network { slug } } }
               networks(asOf: null) { nodes { until { edtf precision } network { slug } } }
             } }"""
    ))
    alliance = data["alliance"]
    assert alliance["kind"] == "UMBRELLA_NETWORK"
    assert alliance["founded"] is None, "the Alliance's founding date is not known"
    assert {"type": "COMMITTEE_OF", "network": {"slug": "congo"}} in alliance["networks"]
    assert {"type": "ORDINARY", "member": {"slug": "gi-toc"}} in alliance["members"]
    assert data["vngoc"]["ecosocStatus"] == "SPECIAL" and data["vngoc"]["ecosocSince"] == 2014
    assert [n["network"]["slug"] for n in data["vngoc"]["networks"]] == ["congo"]
    assert data["vngoc"]["networks"][0]["until"] == {"edtf": "2011", "precision": "YEAR"}, "the source says only 2011"
    assert data["vngoc"]["today"] == [], "VNGOC left CoNGO when it became an independent association"


async def test_whatson_member_launch_is_one_event_on_four_days(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ event(slug: "whatson-phase-2-members-launch") {
               kind audience startDate endDate dates { startDate endDate } programme { slug }
           } }"""
    ))
    event = data["event"]
    assert [d["startDate"] for d in event["dates"]] == ["2023-03-13", "2023-03-16", "2023-03-21", "2023-03-22"]
    assert all(d["startDate"] == d["endDate"] for d in event["dates"])
    assert (event["startDate"], event["endDate"]) == ("2023-03-13", "2023-03-22")
    assert event["programme"] == {"slug": "whatson"}


async def test_self_paced_course_languages_read_spanish_as_es(gql: Any) -> None:
    data = unpaged(await gql.data('{ event(slug: "se4u-self-paced-course-2023") { format languages dates { startDate endDate } } }'))
    assert data["event"] == {
        "format": "SELF_PACED",
        "languages": ["AR", "EN", "FR", "ES"],
        "dates": [{"startDate": "2023-03-13", "endDate": "2023-05-31"}],
    }


async def test_ngo_briefing_in_the_margins_of_the_irg(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ event(slug: "irg-14-ngo-briefing") {
               kind format venue dates { startDate startTime endTime }
               marginsOf { slug governingBody { acronym parent { slug } } sideEvents { nodes { slug } } }
           } }"""
    ))
    event = data["event"]
    assert event["dates"] == [{"startDate": "2023-06-13", "startTime": "13:15:00", "endTime": "15:00:00"}]
    assert event["marginsOf"]["slug"] == "irg-14"
    assert event["marginsOf"]["governingBody"]["parent"] == {"slug": "cosp-uncac"}
    assert {"slug": "irg-14-ngo-briefing"} in event["marginsOf"]["sideEvents"]


async def test_constructive_dialogue_call_closes_at_midnight_vienna_time(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ applicationCall(slug: "cd-2023-applications") {
               closesAt ecosocStatusRequired reviewedBy events { nodes { slug } }
               before: isOpen(at: "2023-02-12T23:59:00+01:00")
               after: isOpen(at: "2023-02-12T23:00:01Z")
           } }"""
    ))
    call = data["applicationCall"]
    assert call["closesAt"] == "2023-02-13T00:00:00+01:00"
    assert call["ecosocStatusRequired"] is False
    assert call["reviewedBy"] == "Extended Bureau"
    assert {e["slug"] for e in call["events"]} == {"cd-firearms-2023", "cd-technical-assistance-2023"}
    assert call["before"] is True and call["after"] is False


async def test_conventions_and_protocols(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ untoc: instrument(slug: "untoc") { adoptedOn inForceOn protocols { nodes { slug parent { slug } } } }
             uncac: instrument(slug: "uncac") { adopted { edtf exact } inForce { edtf exact } }
             drugs: instrument(slug: "drug-1961") { adopted { edtf } adoptedYear } }"""
    ))
    assert data["untoc"]["adoptedOn"] == "2000-11-15" and data["untoc"]["inForceOn"] == "2003-09-29"
    assert {p["slug"] for p in data["untoc"]["protocols"]} == {"tip-protocol", "som-protocol", "firearms-protocol"}
    assert data["uncac"] == {"adopted": {"edtf": "2003-10-31", "exact": True}, "inForce": {"edtf": "2005-12-14", "exact": True}}
    assert data["drugs"] == {"adopted": {"edtf": "1961-03-30"}, "adoptedYear": 1961}


async def test_cnd_66_and_what_happened_in_its_margins(gql: Any) -> None:
    data = unpaged(await gql.data(
        """{ event(slug: "cnd-66") {
               kind sessionNumber city dates { startDate endDate } governingBody { acronym }
               sideEvents { totalCount nodes { slug organizers { nodes { role organizer { ... on Organization { slug } } } } } }
           } }"""
    ))
    cnd = data["event"]
    assert cnd["dates"] == [{"startDate": "2023-03-13", "endDate": "2023-03-17"}]
    assert cnd["governingBody"] == {"acronym": "CND"}
    dialogues = {e["slug"]: e for e in cnd["sideEvents"]["nodes"]}
    assert cnd["sideEvents"]["totalCount"] == len(dialogues)
    assert {"cnd-66-informal-dialogue-executive-director", "cnd-66-informal-dialogue-cnd-chair"} <= dialogues.keys()
    organizers = dialogues["cnd-66-informal-dialogue-executive-director"]["organizers"]
    assert any(o["organizer"] == {"slug": "vngoc"} for o in organizers)
