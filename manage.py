"""Command line of the directory: migrate, load-data, generate, serve, export-schema.

    python manage.py migrate          apply migrations to DATABASE_URL
    python manage.py load-data        load data/unodc.json and the member lists of data/networks/ (idempotent)
    python manage.py generate         add a synthetic directory (--organizations N --seed S)
    python manage.py serve            serve on HOST:PORT with GraphiQL
    python manage.py export-schema    print the SDL (or --output FILE)
    python manage.py trusted-documents DIR --output FILE    the manifest of TRUSTED_DOCUMENTS=only
    python manage.py keys create NAME --role COALITION|STAFF|ADMIN [--network SLUG]
    python manage.py keys list | keys revoke ID
    python manage.py import-members NETWORK FILE [--replace] [--dry-run] [--skip-invalid] [--show N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from settings import Settings

ROOT = Path(__file__).resolve().parent
DEFAULT_FIXTURE = ROOT / "data" / "unodc.json"


async def _load_data(settings: Settings, path: Path) -> None:
    from datatools.fixture_loader import load_fixture
    from db.lifecycle import open_database

    async with open_database(settings.database_url):
        report = await load_fixture(path)
    print(report)


def _progress_bar(stage: str, done: int, total: int, width: int = 30) -> None:
    """One line per stage on stderr, redrawn in place: ``organizations [#####.....] 2,000/20,000``."""
    filled = width * done // total if total else width
    sys.stderr.write(f"\r{stage:<20} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


async def _generate(settings: Settings, organizations: int, seed: int, replace: bool, search_index: bool) -> int:
    from datatools.synthetic import SyntheticDataExists, generate
    from db.lifecycle import open_database

    started = time.perf_counter()
    async with open_database(settings.database_url):
        try:
            counts = await generate(organizations, seed, _progress_bar, replace=replace, search_index=search_index)
        except SyntheticDataExists as error:
            print(f"manage.py generate: {error}", file=sys.stderr)
            return 1
    for table, count in counts.items():
        print(f"{table:<28} {count:>12,}")
    print(f"{'elapsed':<28} {time.perf_counter() - started:>11.1f}s")
    return 0


async def _keys(settings: Settings, args: argparse.Namespace) -> int:
    from datatools import keys
    from db.lifecycle import open_database
    from services.keys import KeyRequestError

    async with open_database(settings.database_url):
        try:
            if args.action == "create":
                print(await keys.create(settings.api_key_secret, args.name, args.role, args.network))
            elif args.action == "list":
                print(await keys.listing())
            else:
                print(await keys.revoke(args.id))
        except KeyRequestError as error:
            print(f"manage.py keys {args.action}: {error}", file=sys.stderr)
            return 1
    return 0


async def _import_members(settings: Settings, args: argparse.Namespace) -> int:
    from datatools.member_import import MemberFileError, run, table
    from db.lifecycle import open_database

    started = time.perf_counter()
    async with open_database(settings.database_url):
        try:
            result = await run(
                args.network, args.file, replace=args.replace, dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                progress=_progress_bar,
            )  # fmt: skip
        except MemberFileError as error:
            print(f"manage.py import-members: {error}", file=sys.stderr)
            return 1
    print(table(result, args.show))
    print(f"elapsed {time.perf_counter() - started:.1f}s")
    return 1 if result.errors else 0


def _serve(settings: Settings) -> int:
    """uvicorn with ``WORKERS`` processes on uvloop and httptools; each worker builds the app and opens the database once.

    Refuses to start (exit status 2) when the database does not answer. On
    SIGTERM or SIGINT, uvicorn stops accepting connections and lets the
    requests in flight finish, for at most ``GRACEFUL_SHUTDOWN_SECONDS``.
    """
    import uvicorn

    from db.health import check_database, describe
    from web.serving import uvicorn_options

    database = asyncio.run(check_database(settings.database_url))
    if not database.ok:
        print(
            f"Not starting: the database {describe(settings.database_url)} is {database.status} ({database.detail}).",
            file=sys.stderr,
            flush=True,
        )
        return 2
    print(f"GraphiQL: http://{settings.host}:{settings.port}/graphql ({settings.serving.workers} workers)", flush=True)
    uvicorn.run(
        "server:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.serving.workers,
        loop="uvloop",
        timeout_graceful_shutdown=settings.serving.graceful_shutdown_seconds,
        log_level="info",
        **uvicorn_options(settings),
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations")
    load = commands.add_parser(
        "load-data", help="load the directory data and the networks' member lists beside it (idempotent)"
    )
    load.add_argument("path", nargs="?", type=Path, default=DEFAULT_FIXTURE)
    generate = commands.add_parser("generate", help="add a deterministic synthetic directory (source 'synthetic')")
    generate.add_argument(
        "--organizations", type=_at_least_one, default=20_000, metavar="N", help="how many (default 20000)"
    )
    generate.add_argument("--seed", type=int, default=1, metavar="S", help="same seed, same rows (default 1)")
    generate.add_argument("--replace", action="store_true", help="delete the synthetic rows already there first")
    generate.add_argument("--no-search-index", dest="search_index", action="store_false", help="skip search documents")
    commands.add_parser("serve", help="serve the API with GraphiQL")
    keys = commands.add_parser("keys", help="make, list and revoke API keys").add_subparsers(dest="action", required=True)
    create = keys.add_parser("create", help="make a key and show it once")
    create.add_argument("name", help="who uses the key, e.g. 'UNCAC Coalition secretariat'")
    create.add_argument("--role", required=True, choices=["COALITION", "STAFF", "ADMIN"])
    create.add_argument("--network", metavar="SLUG", help="for a COALITION key: the network it speaks for")
    keys.add_parser("list", help="every key, without the keys themselves")
    revoke = keys.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id", type=int)
    members = commands.add_parser(
        "import-members", help="import a network's member list from CSV or JSON and print the diff (as networkMembersImport)"
    )
    members.add_argument("network", help="the network's slug")
    members.add_argument("file", type=Path, help="a .csv (header: name,country,website,...) or .json member list")
    members.add_argument("--replace", action="store_true", help="the list is the whole membership: end the others today")
    members.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    members.add_argument("--skip-invalid", action="store_true", help="apply the valid rows, report the others")
    members.add_argument("--show", type=_at_least_one, default=20, metavar="N", help="table lines per kind of change")
    export = commands.add_parser("export-schema", help="print the GraphQL SDL")
    export.add_argument("--output", type=Path)
    trusted = commands.add_parser("trusted-documents", help="build the trusted-documents manifest from a folder of .graphql files")
    trusted.add_argument("folder", type=Path, help="the folder of .graphql files (one document each)")
    trusted.add_argument("--output", type=Path, required=True, help="the manifest to write (JSON)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()

    if args.command == "migrate":
        from db.lifecycle import migrate

        asyncio.run(migrate(settings.database_url))
    elif args.command == "load-data":
        asyncio.run(_load_data(settings, args.path))
    elif args.command == "generate":
        return asyncio.run(_generate(settings, args.organizations, args.seed, args.replace, args.search_index))
    elif args.command == "keys":
        return asyncio.run(_keys(settings, args))
    elif args.command == "import-members":
        return asyncio.run(_import_members(settings, args))
    elif args.command == "serve":
        return _serve(settings)
    elif args.command == "trusted-documents":
        from datatools.trusted_documents import InvalidDocument, build

        try:
            print(build(args.folder, args.output))
        except InvalidDocument as error:
            print(f"manage.py trusted-documents: {error}", file=sys.stderr)
            return 1
    elif args.command == "export-schema":
        from schema import print_sdl

        sdl = print_sdl()
        if args.output:
            args.output.write_text(sdl)
        else:
            sys.stdout.write(sdl)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
