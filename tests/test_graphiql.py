"""GraphiQL is served by the service itself: no CDN, only allow-listed assets.

Uses the ``client`` fixture of ``conftest.py`` (the whole application over HTTP).
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
import os
import pathlib
import re

import httpx
import pytest

from server import create_app
from settings import Settings
from web import graphiql
from web.graphiql import GRAPHIQL_ASSET_PREFIX, graphiql_page

NODE_MODULES = pathlib.Path(__file__).resolve().parent.parent / "node_modules"
CDN = re.compile(r"https?://[^\"' ]*(unpkg|jsdelivr|cdnjs|esm\.sh)")
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css"}


@pytest.fixture
def node_modules() -> pathlib.Path:
    """The installed npm packages; skip (or fail when REQUIRE_NODE=1) if `npm ci` has not run."""
    if not (NODE_MODULES / "graphiql" / "package.json").is_file():
        reason = f"{NODE_MODULES} has no GraphiQL: run `npm ci` (make install)"
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail(f"REQUIRE_NODE=1 but {reason}")
        pytest.skip(reason)
    return NODE_MODULES


class _Resources(html.parser.HTMLParser):
    """The URLs of a page's <script src> and <link href>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        url = dict(attrs).get({"script": "src", "link": "href"}.get(tag, ""))
        if url and not url.startswith("data:"):
            self.urls.append(url)


async def _page(client: httpx.AsyncClient) -> str:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _resources(page: str) -> list[str]:
    parser = _Resources()
    parser.feed(page)
    parser.close()
    return parser.urls


async def test_page_loads_nothing_from_other_hosts(client: httpx.AsyncClient) -> None:
    page = await _page(client)
    urls = _resources(page)
    assert "<title>UNODC partner directory</title>" in page
    assert len(urls) == 7
    for url in urls:
        assert url.startswith(f"{GRAPHIQL_ASSET_PREFIX}/"), url
        assert "//" not in url and httpx.URL(url).scheme == "" and httpx.URL(url).host == "", url
    assert CDN.search(page) is None


@pytest.mark.node
async def test_every_asset_is_served(client: httpx.AsyncClient, node_modules: pathlib.Path) -> None:
    page = await _page(client)
    assert page.count("integrity=") == 7, "the vendored files should hash to Strawberry's SRI values"
    for url in _resources(page):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.content, url
        expected = CONTENT_TYPES[pathlib.PurePosixPath(url).suffix]
        assert response.headers["content-type"].split(";")[0] == expected, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert CDN.search(response.text) is None, f"{url} loads from a CDN"


@pytest.mark.parametrize(
    "path",
    [
        f"{GRAPHIQL_ASSET_PREFIX}/../../package.json",
        f"{GRAPHIQL_ASSET_PREFIX}/%2E%2E/%2E%2E/package.json",
        f"{GRAPHIQL_ASSET_PREFIX}/..%2F..%2Fpackage.json",
        f"{GRAPHIQL_ASSET_PREFIX}/graphiql@3.8.3/package.json",
        f"{GRAPHIQL_ASSET_PREFIX}/graphiql@3.8.3/graphiql.min.js.map",
        f"{GRAPHIQL_ASSET_PREFIX}/graphiql@3.8.3/",
        f"{GRAPHIQL_ASSET_PREFIX}/",
    ],
)
async def test_only_allow_listed_assets_are_served(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert b"unodc-partner-directory-web" not in response.content


def test_integrity_is_dropped_when_the_files_differ(tmp_path: pathlib.Path) -> None:
    page = graphiql_page(tmp_path)
    assert "integrity=" not in page
    assert f'src="{GRAPHIQL_ASSET_PREFIX}/graphiql@3.8.3/graphiql.min.js"' in page


def test_external_resources_left_in_the_template_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    template = graphiql._template() + '<script src="https://cdn.example.org/other.js"></script>'
    monkeypatch.setattr(graphiql, "_template", lambda: template)
    graphiql._render_page.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=r"cdn\.example\.org"):
            graphiql_page()
    finally:
        graphiql._render_page.cache_clear()


def _inline(page: str, element: str) -> list[str]:
    found = re.findall(rf"<{element}>(.*?)</{element}>", page, re.DOTALL)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in found
        if text.strip()
    ]


async def test_page_has_a_strict_content_security_policy(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    policy = dict(
        directive.strip().split(" ", 1) for directive in response.headers["content-security-policy"].split(";")
    )
    scripts, styles = _inline(response.text, "script"), _inline(response.text, "style")
    assert scripts and styles
    assert policy["default-src"] == "'none'"
    assert policy["script-src"].split() == ["'self'", *scripts]
    assert policy["style-src"].split() == ["'self'", *styles]
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("ancestors", "frame_options"),
    [("'self'", "SAMEORIGIN"), ("https://intranet.example 'self'", None)],
)
async def test_frame_ancestors_are_configurable(ancestors: str, frame_options: str | None) -> None:
    application = create_app(Settings(graphiql_frame_ancestors=ancestors))  # the page needs no database
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.headers["content-security-policy"].endswith(f"frame-ancestors {ancestors}")
    assert response.headers.get("x-frame-options") == frame_options
