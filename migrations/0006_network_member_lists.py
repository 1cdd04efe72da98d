"""Networks' member lists: new membership types, an organization's kind may be unknown, and each tie's origin.

- ``MembershipType`` gains MEMBER (the source does not state the category)
  and LISTED (listed by a network, not a membership claim);
- ``organization.kind`` becomes nullable: what no source says stays empty;
- ``membership.origin`` and ``partnership.origin`` say which list maintains
  a row (``list:<network slug>``, ``fixture`` for data/unodc.json, null for
  rows added otherwise). Until now ``load-data`` reconciled every membership
  and partnership that was not synthetic as its own, so those rows are marked
  ``fixture``; synthetic rows (``source = 'synthetic'``) stay null.

On SQLite, altering a column rebuilds its table and drops its indexes (see
README, Migrations): the indexes of ``membership`` (its unique period
included) and ``organization`` are re-created at the end.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import MembershipType, OrganizationKind
from tortoise import fields

ORIGIN = "Which list maintains the row: 'list:<network slug>' for a network's member list, 'fixture' for data/unodc.json, null for rows added otherwise (synthetic data, API writes)"

MARK_FIXTURE_ROWS = [
    f"UPDATE {table} SET origin = 'fixture' WHERE origin IS NULL AND (source IS NULL OR source <> 'synthetic')"
    for table in ("membership", "partnership")
]
"""The rows ``load-data`` maintained before origins existed: every one that is not synthetic."""

SQLITE_REBUILT_INDEXES = [
    'CREATE UNIQUE INDEX IF NOT EXISTS "membership_unique_period" ON "membership" ("member_id", "network_id", "since_edtf")',
    "CREATE INDEX IF NOT EXISTS idx_membership_member__af977a ON membership (member_id, network_id)",
    "CREATE INDEX IF NOT EXISTS idx_membership_network_77c63d ON membership (network_id, member_id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_country_5f7bfa ON organization (country)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_country_a3ed74 ON organization (country, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_ecosoc__9aff4b ON organization (ecosoc_status, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_founded_3f379d ON organization (founded_earliest, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_kind_b49f5c ON organization (kind)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_kind_d6e0c4 ON organization (kind, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_name_438ba2 ON organization (name, id)",
]
"""Every index of the tables SQLite rebuilds here (PostgreSQL alters them in place and keeps them)."""


async def recreate_sqlite_indexes(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect != "sqlite":
        return
    for sql in SQLITE_REBUILT_INDEXES:
        await client.execute_script(sql)


class Migration(migrations.Migration):
    dependencies = [('models', '0005_dates_at_source_precision')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Membership',
            name='type',
            field=fields.CharEnumField(default=MembershipType.ORDINARY, description='ORDINARY: ORDINARY\nEXTRAORDINARY: EXTRAORDINARY\nAFFILIATED: AFFILIATED\nHONORARY: HONORARY\nFOUNDING: FOUNDING\nCOMMITTEE_OF: COMMITTEE_OF\nMEMBER: MEMBER\nLISTED: LISTED', enum_type=MembershipType, max_length=20),
        ),
        ops.AddField(
            model_name='Membership',
            name='origin',
            field=fields.CharField(null=True, description=ORIGIN, max_length=120),
        ),
        ops.AlterField(
            model_name='Organization',
            name='kind',
            field=fields.CharEnumField(null=True, description='Null when no source says', enum_type=OrganizationKind, max_length=40),
        ),
        ops.AddField(
            model_name='Partnership',
            name='origin',
            field=fields.CharField(null=True, description=ORIGIN, max_length=120),
        ),
        ops.RunSQL(MARK_FIXTURE_ROWS),
        ops.RunPython(recreate_sqlite_indexes),
    ]
