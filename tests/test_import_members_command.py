"""``manage.py import-members``: CSV and JSON member lists from the command line, a dry run, a refused file.

The command runs as a separate process on its own SQLite database, migrated
and loaded as ``make run`` does.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from datatools.member_import import MemberFileError, csv_rows, json_rows

ROOT = Path(__file__).resolve().parent.parent

CSV = """name,acronym,country,website,kind,type,since,focalPointName,focalPointEmail
Transparency International,,DE,https://www.transparency.org,,MEMBER,2006,,
Kenya Integrity Forum,KIF,KE,kif.example.org,NGO,MEMBER,2021-03,Wanjiru Example,wanjiru@example.org
"""


def manage(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": f"sqlite://{database}"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("command") / "directory.sqlite3"
    for command in ("migrate", "load-data"):
        done = manage(path, command)
        assert done.returncode == 0, done.stderr
    return path


def members_of(database: Path, network: str) -> set[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT m.slug FROM membership JOIN organization m ON m.id = member_id JOIN organization n ON n.id = network_id "
            "WHERE n.slug = ? AND until_edtf IS NULL",
            (network,),
        )
        return {slug for (slug,) in rows}


def test_a_csv_list_is_imported_after_a_dry_run(database: Path, tmp_path: Path) -> None:
    path = tmp_path / "alliance.csv"
    path.write_text(CSV, encoding="utf-8")
    before = members_of(database, "alliance")
    dry = manage(database, "import-members", "alliance", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "alliance (MERGE): dry run: nothing written" in dry.stdout
    assert "kenya-integrity-forum" in dry.stdout and "focalPoint" in dry.stdout
    assert "[##############################]" in dry.stderr, "a progress bar on stderr"
    assert members_of(database, "alliance") == before
    done = manage(database, "import-members", "alliance", str(path))
    assert done.returncode == 0, done.stderr
    assert "alliance (MERGE): applied" in done.stdout
    assert members_of(database, "alliance") == before | {"ti", "kenya-integrity-forum"}


def test_a_json_member_list_replaces_the_membership(database: Path, tmp_path: Path) -> None:
    document = json.loads((ROOT / "data" / "networks" / "nyngoc.json").read_text(encoding="utf-8"))
    document["members"] = [{"name": "Harbour Youth Network", "country": "US", "type": "MEMBER", "source": "https://example.org"}]
    path = tmp_path / "nyngoc.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    done = manage(database, "import-members", "nyngoc", str(path), "--replace")
    assert done.returncode == 0, done.stderr
    assert members_of(database, "nyngoc") == {"harbour-youth-network"}
    wrong = manage(database, "import-members", "vngoc", str(path))
    assert wrong.returncode == 1 and "the list is 'nyngoc''s, not 'vngoc''s" in wrong.stderr


def test_a_bad_row_refuses_the_file_unless_skipped(database: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,country\nGood Row Org,AT\nBad Row Org,XX\n", encoding="utf-8")
    refused = manage(database, "import-members", "vngoc", str(path))
    assert refused.returncode == 1
    assert "refused: nothing written" in refused.stdout and "members.1.country" in refused.stdout
    assert "Traceback" not in refused.stderr
    assert "good-row-org" not in members_of(database, "vngoc")
    skipped = manage(database, "import-members", "vngoc", str(path), "--skip-invalid")
    assert skipped.returncode == 0 and "good-row-org" in members_of(database, "vngoc")
    not_a_network = manage(database, "import-members", "ti", str(path))
    assert not_a_network.returncode == 1 and "NOT_A_NETWORK" in not_a_network.stdout


def test_csv_cells_and_json_shapes_are_read_as_rows() -> None:
    rows = csv_rows(CSV.splitlines())
    assert rows[1] == {
        "name": "Kenya Integrity Forum", "acronym": "KIF", "country": "KE", "website": "kif.example.org", "kind": "NGO",
        "type": "MEMBER", "since": "2021-03", "focalPoint": {"name": "Wanjiru Example", "email": "wanjiru@example.org"},
    }  # fmt: skip
    assert json_rows('[{"name": "A"}]', "vngoc", "list.json") == [{"name": "A"}]
    with pytest.raises(MemberFileError, match="not JSON"):
        json_rows("{", "vngoc", "broken.json")
