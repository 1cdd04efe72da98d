"""Dates as precise as their sources: each date becomes EDTF text plus its earliest and latest day.

Existing values are copied over before the old columns go: a stored day keeps
day precision, a stored year becomes that year. Constraints come after the
columns and indexes after the constraints, and every index of the touched
tables is re-created at the end: on SQLite, adding a CHECK or dropping a
column rebuilds the table and drops its indexes (see README, Migrations).
"""

import datetime

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint, UniqueConstraint


DAY_COLUMNS = [
    # table, old DATE column, new column prefix
    ("membership", "since", "since"),
    ("membership", "until", "until"),
    ("partnership", "since", "since"),
    ("office_location", "valid_from", "valid_from"),
    ("office_location", "valid_to", "valid_to"),
    ("office_name", "valid_from", "valid_from"),
    ("office_name", "valid_to", "valid_to"),
    ("organization_name", "valid_from", "valid_from"),
    ("organization_name", "valid_to", "valid_to"),
    ("instrument", "adopted_on", "adopted"),
    ("instrument", "in_force_on", "in_force"),
]
YEAR_COLUMNS = [
    # table, old INT column, new column prefix (only where no day was copied)
    ("organization", "year_founded", "founded"),
    ("office", "year_established", "established"),
    ("programme", "start_year", "started"),
    ("instrument", "adopted_year", "adopted"),
]

RECREATED_INDEXES = [
    "CREATE INDEX IF NOT EXISTS idx_event_date_event_i_2479f0 ON event_date (event_id, start_date)",
    "CREATE INDEX IF NOT EXISTS idx_event_date_start_d_1b6545 ON event_date (start_date, end_date)",
    "CREATE INDEX IF NOT EXISTS idx_instrument_name_16373d ON instrument (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_instrument_parent__eada40 ON instrument (parent_id)",
    "CREATE INDEX IF NOT EXISTS idx_membership_member__af977a ON membership (member_id, network_id)",
    "CREATE INDEX IF NOT EXISTS idx_membership_network_77c63d ON membership (network_id, member_id)",
    "CREATE INDEX IF NOT EXISTS idx_office_kind_ccdf01 ON office (kind)",
    "CREATE INDEX IF NOT EXISTS idx_office_name_1d8cc3 ON office (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_office_parent__bd9374 ON office (parent_id)",
    "CREATE INDEX IF NOT EXISTS idx_office_loca_country_5741b4 ON office_location (country)",
    "CREATE INDEX IF NOT EXISTS idx_office_loca_office__5c8599 ON office_location (office_id, valid_from_earliest)",
    "CREATE INDEX IF NOT EXISTS idx_office_name_office__d11767 ON office_name (office_id, valid_from_earliest)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_country_5f7bfa ON organization (country)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_country_a3ed74 ON organization (country, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_ecosoc__9aff4b ON organization (ecosoc_status, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_founded_3f379d ON organization (founded_earliest, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_kind_b49f5c ON organization (kind)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_kind_d6e0c4 ON organization (kind, name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_name_438ba2 ON organization (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_organiz_68a634 ON organization_name (organization_id, valid_from_earliest)",
    "CREATE INDEX IF NOT EXISTS idx_partnership_office__4e0556 ON partnership (office_id)",
    "CREATE INDEX IF NOT EXISTS idx_partnership_partner_1a9182 ON partnership (partner_office_id)",
    "CREATE INDEX IF NOT EXISTS idx_partnership_partner_3b99ae ON partnership (partner_organization_id)",
    "CREATE INDEX IF NOT EXISTS idx_programme_name_7e5357 ON programme (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_programme_office__18e5c0 ON programme (office_id)",
]
"""Every index of the tables this migration touches (IF NOT EXISTS: no-ops where they survived)."""


async def copy_dates_to_precise_columns(apps, schema_editor):
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    for table, old, new in DAY_COLUMNS:
        await client.execute_script(
            f"UPDATE {table} SET {new}_edtf = CAST({old} AS VARCHAR(40)), {new}_earliest = {old}, {new}_latest = {old}"
            f" WHERE {old} IS NOT NULL AND {new}_edtf IS NULL"
        )
    for table, old, new in YEAR_COLUMNS:
        rows = await client.execute_query_dict(f"SELECT id, {old} AS year FROM {table} WHERE {old} IS NOT NULL AND {new}_edtf IS NULL")
        for row in rows:
            year = int(row["year"])
            values = [str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31), row["id"]]
            marks = ["?"] * 4 if sqlite else ["$1", "$2", "$3", "$4"]
            if sqlite:
                values = [value.isoformat() if isinstance(value, datetime.date) else value for value in values]
            await client.execute_query(
                f"UPDATE {table} SET {new}_edtf = {marks[0]}, {new}_earliest = {marks[1]}, {new}_latest = {marks[2]} WHERE id = {marks[3]}",
                values,
            )


class Migration(migrations.Migration):
    dependencies = [('models', '0004_former_names')]

    initial = False

    operations = [
        ops.AddField(
            model_name='EventDate',
            name='exact',
            field=fields.BooleanField(default=True, db_default=True, description='True when the event runs on every day of the range, false when only known to fall within it'),
        ),
        ops.AddField(
            model_name='Instrument',
            name='adopted_earliest',
            field=fields.DateField(null=True, description='Earliest day the adoption can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Instrument',
            name='adopted_edtf',
            field=fields.CharField(null=True, description='When the adoption was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Instrument',
            name='adopted_latest',
            field=fields.DateField(null=True, description='Latest day the adoption can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Instrument',
            name='in_force_earliest',
            field=fields.DateField(null=True, description='Earliest day the entry into force can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Instrument',
            name='in_force_edtf',
            field=fields.CharField(null=True, description='When the entry into force was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Instrument',
            name='in_force_latest',
            field=fields.DateField(null=True, description='Latest day the entry into force can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Membership',
            name='since_earliest',
            field=fields.DateField(null=True, description='Earliest day the start of membership can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Membership',
            name='since_edtf',
            field=fields.CharField(null=True, description='When the start of membership was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Membership',
            name='since_latest',
            field=fields.DateField(null=True, description='Latest day the start of membership can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Membership',
            name='until_earliest',
            field=fields.DateField(null=True, description='Earliest day the end of membership can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Membership',
            name='until_edtf',
            field=fields.CharField(null=True, description='When the end of membership was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Membership',
            name='until_latest',
            field=fields.DateField(null=True, description='Latest day the end of membership can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Office',
            name='established_earliest',
            field=fields.DateField(null=True, description='Earliest day the setting up of the office can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Office',
            name='established_edtf',
            field=fields.CharField(null=True, description='When the setting up of the office was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Office',
            name='established_latest',
            field=fields.DateField(null=True, description='Latest day the setting up of the office can be, null when unknown'),
        ),
        ops.AddField(
            model_name='OfficeLocation',
            name='source',
            field=fields.CharField(null=True, max_length=500),
        ),
        ops.AddField(
            model_name='OfficeLocation',
            name='valid_from_earliest',
            field=fields.DateField(null=True, description='Earliest day the arrival at this place can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='OfficeLocation',
            name='valid_from_edtf',
            field=fields.CharField(null=True, description='When the arrival at this place was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='OfficeLocation',
            name='valid_from_latest',
            field=fields.DateField(null=True, description='Latest day the arrival at this place can be, null when unknown'),
        ),
        ops.AddField(
            model_name='OfficeLocation',
            name='valid_to_earliest',
            field=fields.DateField(null=True, description='Earliest day the last day at this place can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='OfficeLocation',
            name='valid_to_edtf',
            field=fields.CharField(null=True, description='When the last day at this place was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='OfficeLocation',
            name='valid_to_latest',
            field=fields.DateField(null=True, description='Latest day the last day at this place can be, null when unknown'),
        ),
        ops.AddField(
            model_name='OfficeName',
            name='valid_from_earliest',
            field=fields.DateField(null=True, description='Earliest day the first use of the name can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='OfficeName',
            name='valid_from_edtf',
            field=fields.CharField(null=True, description='When the first use of the name was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='OfficeName',
            name='valid_from_latest',
            field=fields.DateField(null=True, description='Latest day the first use of the name can be, null when unknown'),
        ),
        ops.AddField(
            model_name='OfficeName',
            name='valid_to_earliest',
            field=fields.DateField(null=True, description='Earliest day the last use of the name can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='OfficeName',
            name='valid_to_edtf',
            field=fields.CharField(null=True, description='When the last use of the name was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='OfficeName',
            name='valid_to_latest',
            field=fields.DateField(null=True, description='Latest day the last use of the name can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Organization',
            name='founded_earliest',
            field=fields.DateField(null=True, description='Earliest day the founding can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Organization',
            name='founded_edtf',
            field=fields.CharField(null=True, description='When the founding was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Organization',
            name='founded_latest',
            field=fields.DateField(null=True, description='Latest day the founding can be, null when unknown'),
        ),
        ops.AddField(
            model_name='OrganizationName',
            name='valid_from_earliest',
            field=fields.DateField(null=True, description='Earliest day the first use of the name can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='OrganizationName',
            name='valid_from_edtf',
            field=fields.CharField(null=True, description='When the first use of the name was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='OrganizationName',
            name='valid_from_latest',
            field=fields.DateField(null=True, description='Latest day the first use of the name can be, null when unknown'),
        ),
        ops.AddField(
            model_name='OrganizationName',
            name='valid_to_earliest',
            field=fields.DateField(null=True, description='Earliest day the last use of the name can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='OrganizationName',
            name='valid_to_edtf',
            field=fields.CharField(null=True, description='When the last use of the name was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='OrganizationName',
            name='valid_to_latest',
            field=fields.DateField(null=True, description='Latest day the last use of the name can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Partnership',
            name='since_earliest',
            field=fields.DateField(null=True, description='Earliest day the start of the partnership can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Partnership',
            name='since_edtf',
            field=fields.CharField(null=True, description='When the start of the partnership was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Partnership',
            name='since_latest',
            field=fields.DateField(null=True, description='Latest day the start of the partnership can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Partnership',
            name='until_earliest',
            field=fields.DateField(null=True, description='Earliest day the end of the partnership can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Partnership',
            name='until_edtf',
            field=fields.CharField(null=True, description='When the end of the partnership was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Partnership',
            name='until_latest',
            field=fields.DateField(null=True, description='Latest day the end of the partnership can be, null when unknown'),
        ),
        ops.AddField(
            model_name='Programme',
            name='started_earliest',
            field=fields.DateField(null=True, description='Earliest day the start of the programme can be, null when unknown or open'),
        ),
        ops.AddField(
            model_name='Programme',
            name='started_edtf',
            field=fields.CharField(null=True, description='When the start of the programme was, in EDTF, as precise as the source', max_length=40),
        ),
        ops.AddField(
            model_name='Programme',
            name='started_latest',
            field=fields.DateField(null=True, description='Latest day the start of the programme can be, null when unknown'),
        ),
        ops.RunPython(copy_dates_to_precise_columns),
        ops.RemoveIndex(
            model_name='OfficeLocation',
            name=None,
            fields=['office_id', 'valid_from'],
        ),
        ops.RemoveIndex(
            model_name='OfficeName',
            name=None,
            fields=['office_id', 'valid_from'],
        ),
        ops.RemoveIndex(
            model_name='OrganizationName',
            name=None,
            fields=['organization_id', 'valid_from'],
        ),
        ops.RemoveConstraint(
            model_name='Membership',
            name='membership_unique_period',
            fields=None,
        ),
        ops.RemoveConstraint(
            model_name='Instrument',
            name='instrument_date_order',
            fields=None,
        ),
        ops.RemoveConstraint(
            model_name='Membership',
            name='membership_date_order',
            fields=None,
        ),
        ops.RemoveConstraint(
            model_name='OfficeLocation',
            name='office_location_date_order',
            fields=None,
        ),
        ops.RemoveConstraint(
            model_name='OfficeName',
            name='office_name_date_order',
            fields=None,
        ),
        ops.RemoveConstraint(
            model_name='Organization',
            name='organization_year_founded_range',
            fields=None,
        ),
        ops.RemoveConstraint(
            model_name='OrganizationName',
            name='organization_name_date_order',
            fields=None,
        ),
        ops.RemoveField(model_name='Instrument', name='adopted_on'),
        ops.RemoveField(model_name='Instrument', name='adopted_year'),
        ops.RemoveField(model_name='Instrument', name='in_force_on'),
        ops.RemoveField(model_name='Membership', name='since'),
        ops.RemoveField(model_name='Membership', name='until'),
        ops.RemoveField(model_name='Office', name='year_established'),
        ops.RemoveField(model_name='OfficeLocation', name='valid_from'),
        ops.RemoveField(model_name='OfficeLocation', name='valid_to'),
        ops.RemoveField(model_name='OfficeName', name='valid_from'),
        ops.RemoveField(model_name='OfficeName', name='valid_to'),
        ops.RemoveField(model_name='Organization', name='year_founded'),
        ops.RemoveField(model_name='OrganizationName', name='valid_from'),
        ops.RemoveField(model_name='OrganizationName', name='valid_to'),
        ops.RemoveField(model_name='Partnership', name='since'),
        ops.RemoveField(model_name='Programme', name='start_year'),
        ops.AlterField(
            model_name='OfficeLocation',
            name='city',
            field=fields.CharField(null=True, description='Null when the source names only the country', max_length=120),
        ),
        ops.AddConstraint(
            model_name='Instrument',
            constraint=CheckConstraint(check='(adopted_edtf IS NULL) = (adopted_latest IS NULL)', name='instrument_adopted_known'),
        ),
        ops.AddConstraint(
            model_name='Instrument',
            constraint=CheckConstraint(check='adopted_earliest IS NULL OR adopted_earliest <= adopted_latest', name='instrument_adopted_window'),
        ),
        ops.AddConstraint(
            model_name='Instrument',
            constraint=CheckConstraint(check='(in_force_edtf IS NULL) = (in_force_latest IS NULL)', name='instrument_in_force_known'),
        ),
        ops.AddConstraint(
            model_name='Instrument',
            constraint=CheckConstraint(check='in_force_earliest IS NULL OR in_force_earliest <= in_force_latest', name='instrument_in_force_window'),
        ),
        ops.AddConstraint(
            model_name='Instrument',
            constraint=CheckConstraint(check='adopted_earliest IS NULL OR in_force_latest IS NULL OR adopted_earliest <= in_force_latest', name='instrument_date_order'),
        ),
        ops.AddConstraint(
            model_name='Membership',
            constraint=CheckConstraint(check='(since_edtf IS NULL) = (since_latest IS NULL)', name='membership_since_known'),
        ),
        ops.AddConstraint(
            model_name='Membership',
            constraint=CheckConstraint(check='since_earliest IS NULL OR since_earliest <= since_latest', name='membership_since_window'),
        ),
        ops.AddConstraint(
            model_name='Membership',
            constraint=CheckConstraint(check='(until_edtf IS NULL) = (until_latest IS NULL)', name='membership_until_known'),
        ),
        ops.AddConstraint(
            model_name='Membership',
            constraint=CheckConstraint(check='until_earliest IS NULL OR until_earliest <= until_latest', name='membership_until_window'),
        ),
        ops.AddConstraint(
            model_name='Membership',
            constraint=CheckConstraint(check='since_earliest IS NULL OR until_latest IS NULL OR since_earliest <= until_latest', name='membership_period_order'),
        ),
        ops.AddConstraint(
            model_name='Membership',
            constraint=UniqueConstraint(fields=('member_id', 'network_id', 'since_edtf'), name='membership_unique_period'),
        ),
        ops.AddConstraint(
            model_name='Office',
            constraint=CheckConstraint(check='(established_edtf IS NULL) = (established_latest IS NULL)', name='office_established_known'),
        ),
        ops.AddConstraint(
            model_name='Office',
            constraint=CheckConstraint(check='established_earliest IS NULL OR established_earliest <= established_latest', name='office_established_window'),
        ),
        ops.AddConstraint(
            model_name='OfficeLocation',
            constraint=CheckConstraint(check='(valid_from_edtf IS NULL) = (valid_from_latest IS NULL)', name='office_location_valid_from_known'),
        ),
        ops.AddConstraint(
            model_name='OfficeLocation',
            constraint=CheckConstraint(check='valid_from_earliest IS NULL OR valid_from_earliest <= valid_from_latest', name='office_location_valid_from_window'),
        ),
        ops.AddConstraint(
            model_name='OfficeLocation',
            constraint=CheckConstraint(check='(valid_to_edtf IS NULL) = (valid_to_latest IS NULL)', name='office_location_valid_to_known'),
        ),
        ops.AddConstraint(
            model_name='OfficeLocation',
            constraint=CheckConstraint(check='valid_to_earliest IS NULL OR valid_to_earliest <= valid_to_latest', name='office_location_valid_to_window'),
        ),
        ops.AddConstraint(
            model_name='OfficeLocation',
            constraint=CheckConstraint(check='valid_from_earliest IS NULL OR valid_to_latest IS NULL OR valid_from_earliest <= valid_to_latest', name='office_location_period_order'),
        ),
        ops.AddConstraint(
            model_name='OfficeName',
            constraint=CheckConstraint(check='(valid_from_edtf IS NULL) = (valid_from_latest IS NULL)', name='office_name_valid_from_known'),
        ),
        ops.AddConstraint(
            model_name='OfficeName',
            constraint=CheckConstraint(check='valid_from_earliest IS NULL OR valid_from_earliest <= valid_from_latest', name='office_name_valid_from_window'),
        ),
        ops.AddConstraint(
            model_name='OfficeName',
            constraint=CheckConstraint(check='(valid_to_edtf IS NULL) = (valid_to_latest IS NULL)', name='office_name_valid_to_known'),
        ),
        ops.AddConstraint(
            model_name='OfficeName',
            constraint=CheckConstraint(check='valid_to_earliest IS NULL OR valid_to_earliest <= valid_to_latest', name='office_name_valid_to_window'),
        ),
        ops.AddConstraint(
            model_name='OfficeName',
            constraint=CheckConstraint(check='valid_from_earliest IS NULL OR valid_to_latest IS NULL OR valid_from_earliest <= valid_to_latest', name='office_name_period_order'),
        ),
        ops.AddConstraint(
            model_name='Organization',
            constraint=CheckConstraint(check='(founded_edtf IS NULL) = (founded_latest IS NULL)', name='organization_founded_known'),
        ),
        ops.AddConstraint(
            model_name='Organization',
            constraint=CheckConstraint(check='founded_earliest IS NULL OR founded_earliest <= founded_latest', name='organization_founded_window'),
        ),
        ops.AddConstraint(
            model_name='OrganizationName',
            constraint=CheckConstraint(check='(valid_from_edtf IS NULL) = (valid_from_latest IS NULL)', name='organization_name_valid_from_known'),
        ),
        ops.AddConstraint(
            model_name='OrganizationName',
            constraint=CheckConstraint(check='valid_from_earliest IS NULL OR valid_from_earliest <= valid_from_latest', name='organization_name_valid_from_window'),
        ),
        ops.AddConstraint(
            model_name='OrganizationName',
            constraint=CheckConstraint(check='(valid_to_edtf IS NULL) = (valid_to_latest IS NULL)', name='organization_name_valid_to_known'),
        ),
        ops.AddConstraint(
            model_name='OrganizationName',
            constraint=CheckConstraint(check='valid_to_earliest IS NULL OR valid_to_earliest <= valid_to_latest', name='organization_name_valid_to_window'),
        ),
        ops.AddConstraint(
            model_name='OrganizationName',
            constraint=CheckConstraint(check='valid_from_earliest IS NULL OR valid_to_latest IS NULL OR valid_from_earliest <= valid_to_latest', name='organization_name_period_order'),
        ),
        ops.AddConstraint(
            model_name='Partnership',
            constraint=CheckConstraint(check='(since_edtf IS NULL) = (since_latest IS NULL)', name='partnership_since_known'),
        ),
        ops.AddConstraint(
            model_name='Partnership',
            constraint=CheckConstraint(check='since_earliest IS NULL OR since_earliest <= since_latest', name='partnership_since_window'),
        ),
        ops.AddConstraint(
            model_name='Partnership',
            constraint=CheckConstraint(check='(until_edtf IS NULL) = (until_latest IS NULL)', name='partnership_until_known'),
        ),
        ops.AddConstraint(
            model_name='Partnership',
            constraint=CheckConstraint(check='until_earliest IS NULL OR until_earliest <= until_latest', name='partnership_until_window'),
        ),
        ops.AddConstraint(
            model_name='Partnership',
            constraint=CheckConstraint(check='since_earliest IS NULL OR until_latest IS NULL OR since_earliest <= until_latest', name='partnership_period_order'),
        ),
        ops.AddConstraint(
            model_name='Programme',
            constraint=CheckConstraint(check='(started_edtf IS NULL) = (started_latest IS NULL)', name='programme_started_known'),
        ),
        ops.AddConstraint(
            model_name='Programme',
            constraint=CheckConstraint(check='started_earliest IS NULL OR started_earliest <= started_latest', name='programme_started_window'),
        ),
        ops.AddIndex(
            model_name='OfficeLocation',
            index=Index(fields=['office_id', 'valid_from_earliest']),
        ),
        ops.AddIndex(
            model_name='OfficeName',
            index=Index(fields=['office_id', 'valid_from_earliest']),
        ),
        ops.AddIndex(
            model_name='Organization',
            index=Index(fields=['founded_earliest', 'name', 'id']),
        ),
        ops.AddIndex(
            model_name='OrganizationName',
            index=Index(fields=['organization_id', 'valid_from_earliest']),
        ),
        ops.AlterModelOptions(
            name='OfficeLocation',
            options={'table': 'office_location', 'app': 'models', 'constraints': [CheckConstraint(check='(valid_from_edtf IS NULL) = (valid_from_latest IS NULL)', name='office_location_valid_from_known'), CheckConstraint(check='valid_from_earliest IS NULL OR valid_from_earliest <= valid_from_latest', name='office_location_valid_from_window'), CheckConstraint(check='(valid_to_edtf IS NULL) = (valid_to_latest IS NULL)', name='office_location_valid_to_known'), CheckConstraint(check='valid_to_earliest IS NULL OR valid_to_earliest <= valid_to_latest', name='office_location_valid_to_window'), CheckConstraint(check='valid_from_earliest IS NULL OR valid_to_latest IS NULL OR valid_from_earliest <= valid_to_latest', name='office_location_period_order')], 'indexes': [Index(fields=['office_id', 'valid_from_earliest']), Index(fields=['country'])], 'pk_attr': 'id', 'table_description': 'Where an office sat during a period (valid_from and valid_to inclusive; see ``models.dates``).'},
        ),
        ops.RunSQL(RECREATED_INDEXES),
    ]
