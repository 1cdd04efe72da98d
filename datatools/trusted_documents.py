"""Build the trusted-documents manifest from a folder of ``.graphql`` files (``manage.py trusted-documents``).

Each file is one document (operations and their fragments), its text taken
without leading or trailing blank space. The manifest maps each document's
sha256 hash (hex, as Apollo's persisted queries compute it) to its text; with
``TRUSTED_DOCUMENTS=only`` the service runs only these (``web.persisted_queries``).
A document that does not validate against the schema stops the build.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from graphql import GraphQLError, parse, validate

from schema import build_schema
from web.persisted_queries import MANIFEST_FORMAT
from web.response_cache import document_hash


class InvalidDocument(Exception):
    """A document of the folder that does not parse or validate against the schema."""


def read_documents(folder: Path) -> dict[Path, str]:
    """The documents of ``folder`` (and its subfolders), by file, in name order."""
    files = sorted(folder.rglob("*.graphql"))
    if not files:
        raise InvalidDocument(f"{folder} holds no .graphql file")
    return {path: path.read_text(encoding="utf-8").strip() for path in files}


def check(documents: dict[Path, str]) -> None:
    """Raise ``InvalidDocument`` naming every file that does not validate, with the schema's messages."""
    schema = build_schema()._schema
    problems: list[str] = []
    for path, text in documents.items():
        try:
            errors = validate(schema, parse(text))
        except GraphQLError as error:
            errors = [error]
        problems.extend(f"{path}: {error.message}" for error in errors)
    if problems:
        raise InvalidDocument("\n".join(problems))


def manifest(documents: dict[Path, str]) -> dict[str, object]:
    """The manifest of these documents: ``{"format", "version", "documents": {sha256: text}}``."""
    return {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "documents": {document_hash(text): text for text in documents.values()},
    }


def build(folder: Path, output: Path) -> str:
    """Check the folder's documents, write their manifest to ``output``; a line per document."""
    documents = read_documents(folder)
    check(documents)
    output.write_bytes(orjson.dumps(manifest(documents), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    lines = [f"{document_hash(text)}  {path.relative_to(folder)}" for path, text in documents.items()]
    return "\n".join([*lines, f"{len(documents)} trusted documents written to {output}"])
