"""GraphiQL served by the service itself, so the IDE works without internet access.

Strawberry's GraphiQL page loads React, GraphiQL and the explorer plugin from unpkg.com. This module
rewrites those URLs to ``/static/graphiql/<package>/<path>`` and serves exactly those files from the
``node_modules`` directory that ``npm ci`` installs from ``package.json``/``package-lock.json``.
The versions in ``package.json`` must match the ones in Strawberry's template; the SRI ``integrity``
attributes are kept only when the local files hash to the same value.

Nothing is read at import time: the template is read on first use and cached.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html.parser
import importlib.resources
import logging
import pathlib
import re
from dataclasses import dataclass
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route, Router

__all__ = [
    "GRAPHIQL_ASSET_PREFIX",
    "PAGE_TITLE",
    "content_security_policy",
    "graphiql_asset_files",
    "graphiql_assets_app",
    "graphiql_page",
]

GRAPHIQL_ASSET_PREFIX: Final = "/static/graphiql"
PAGE_TITLE: Final = "UNODC partner directory"
DEFAULT_NODE_MODULES: Final = pathlib.Path(__file__).resolve().parent.parent / "node_modules"

_CACHE_CONTROL: Final = "public, max-age=31536000, immutable"
_CONTENT_TYPES: Final = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# A <script> or <link> start tag; quoted attribute values may contain ">" (the inline SVG icon does).
_TAG: Final = re.compile(r"<(?:script|link)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
_UNPKG_URL: Final = re.compile(
    r"https://unpkg\.com/(?P<package>(?:@[\w.-]+/)?[\w.-]+)@(?P<version>[\w.+-]+)/(?P<path>[\w.-]+(?:/[\w.-]+)*)"
)
_INTEGRITY: Final = re.compile(r"\s+integrity\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')", re.IGNORECASE)
_TITLE: Final = re.compile(r"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_SRI_STRENGTH: Final = {"sha256": 1, "sha384": 2, "sha512": 3}

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Asset:
    """One file that Strawberry's template loads from unpkg.com."""

    package: str
    version: str
    path: str

    @property
    def route_path(self) -> str:
        """Path below ``GRAPHIQL_ASSET_PREFIX``, versioned so long browser caching is safe.

        e.g. ``graphiql@3.8.3/graphiql.min.js``.
        """
        return f"{self.package}@{self.version}/{self.path}"

    def file(self, node_modules: pathlib.Path) -> pathlib.Path:
        """Where ``npm ci`` puts this file."""
        return node_modules.joinpath(self.package, *self.path.split("/"))


@functools.cache
def _template() -> str:
    """Strawberry's GraphiQL template, read once."""
    return importlib.resources.files("strawberry").joinpath("static/graphiql.html").read_text(encoding="utf-8")


@functools.cache
def _assets() -> tuple[_Asset, ...]:
    """The unpkg.com files the template's <script>/<link> tags load, in page order."""
    return tuple(
        _Asset(m["package"], m["version"], m["path"])
        for tag in _TAG.findall(_template())
        if (m := _UNPKG_URL.search(tag))
    )


def _sri_matches(integrity: str, file: pathlib.Path) -> bool:
    """True if ``file`` satisfies the SRI metadata, judged like a browser (strongest algorithm only)."""
    tokens = (token.split("?")[0].partition("-") for token in integrity.split())
    hashes = [(algorithm, digest) for algorithm, _, digest in tokens if algorithm in _SRI_STRENGTH and digest]
    if not hashes or not file.is_file():
        return False
    strongest = max(_SRI_STRENGTH[algorithm] for algorithm, _ in hashes)
    data = file.read_bytes()
    return any(
        base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest
        for algorithm, digest in hashes
        if _SRI_STRENGTH[algorithm] == strongest
    )


class _ExternalResourceFinder(html.parser.HTMLParser):
    """Collects the <script src> and <link href> URLs that point to another host."""

    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attribute = {"script": "src", "link": "href"}.get(tag)
        url = (dict(attrs).get(attribute) or "").strip() if attribute else ""
        if re.match(r"(?:https?:)?//", url, re.IGNORECASE):
            self.external.append(url)


def graphiql_page(node_modules: pathlib.Path | None = None) -> str:
    """Strawberry's GraphiQL page with its assets served from ``GRAPHIQL_ASSET_PREFIX``.

    ``node_modules`` (default: the project's) is only used to verify the SRI hashes. Raises
    ``RuntimeError`` if the template changed so that an external script or stylesheet remains.
    """
    return _render_page((node_modules or DEFAULT_NODE_MODULES).resolve())


@functools.lru_cache(maxsize=4)
def _render_page(node_modules: pathlib.Path) -> str:
    """Build (once per ``node_modules``) the page that :func:`graphiql_page` returns."""

    def rewrite_tag(tag_match: re.Match[str]) -> str:
        tag = tag_match[0]
        url = _UNPKG_URL.search(tag)
        if url is None:
            return tag
        asset = _Asset(url["package"], url["version"], url["path"])
        tag = tag.replace(url[0], f"{GRAPHIQL_ASSET_PREFIX}/{asset.route_path}")
        integrity = _INTEGRITY.search(tag)
        if integrity and not _sri_matches(integrity["dq"] or integrity["sq"] or "", asset.file(node_modules)):
            logger.warning(
                "Dropping the integrity attribute of %s: %s is missing or is not %s@%s",
                asset.route_path,
                asset.file(node_modules),
                asset.package,
                asset.version,
            )
            tag = tag.replace(integrity[0], "")
        return tag

    page, titles = _TITLE.subn(f"<title>{PAGE_TITLE}</title>", _TAG.sub(rewrite_tag, _template()), count=1)
    finder = _ExternalResourceFinder()
    finder.feed(page)
    finder.close()
    if titles != 1 or finder.external:
        raise RuntimeError(
            f"Strawberry's GraphiQL template changed: external resources {finder.external}, <title> found {titles}x; "
            "update web/graphiql.py and package.json"
        )
    return page


def graphiql_asset_files(node_modules: pathlib.Path) -> dict[str, pathlib.Path]:
    """The allow-list: path below ``GRAPHIQL_ASSET_PREFIX`` → file in ``node_modules``."""
    return {asset.route_path: asset.file(node_modules) for asset in _assets()}


def graphiql_assets_app(node_modules: pathlib.Path) -> Router:
    """ASGI app serving only the files the GraphiQL page references, for ``Mount(GRAPHIQL_ASSET_PREFIX, app=...)``.

    Anything else is a 404: lookups are exact matches in the allow-list, so there is no directory
    listing and no path traversal. The files are looked up per request, so the app can be built
    before ``npm ci`` has run (the files are then 404 until it has).
    """
    files = graphiql_asset_files(node_modules)
    if unknown := sorted(path for path, file in files.items() if file.suffix not in _CONTENT_TYPES):
        raise RuntimeError(f"No content type known for the GraphiQL assets {unknown}; update web/graphiql.py")

    async def serve(request: Request) -> Response:
        file = files.get(request.path_params["asset"])
        if file is None:
            return PlainTextResponse("Not Found", status_code=404)
        if not file.is_file():
            logger.warning("GraphiQL asset %s is missing: run `npm ci`", file)
            return PlainTextResponse("Not Found", status_code=404)
        return FileResponse(file, media_type=_CONTENT_TYPES[file.suffix], headers={"Cache-Control": _CACHE_CONTROL})

    return Router(routes=[Route("/{asset:path}", serve, methods=["GET"])])


_INLINE: Final = re.compile(r"<(script|style)\b[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_SRC: Final = re.compile(r"\ssrc\s*=", re.IGNORECASE)


def _inline_hashes(page: str, element: str) -> list[str]:
    """CSP source expressions (``'sha256-…'``) of the page's inline ``<script>`` or ``<style>`` elements."""
    found = []
    for match in _INLINE.finditer(page):
        opening = match[0][: match[0].index(">") + 1]
        if match[1].lower() == element and not _SRC.search(opening) and match[2].strip():
            digest = base64.b64encode(hashlib.sha256(match[2].encode()).digest()).decode()
            found.append(f"'sha256-{digest}'")
    return found


@functools.lru_cache(maxsize=8)
def content_security_policy(frame_ancestors: str, node_modules: pathlib.Path | None = None) -> str:
    """The GraphiQL page's Content-Security-Policy: its own assets only, its inline code by hash.

    ``frame_ancestors`` (``GRAPHIQL_FRAME_ANCESTORS``) says which pages may frame it.
    """
    page = graphiql_page(node_modules)
    scripts = " ".join(["'self'", *_inline_hashes(page, "script")])
    styles = " ".join(["'self'", *_inline_hashes(page, "style")])
    return (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; img-src 'self' data:; "
        f"font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {frame_ancestors}"
    )
