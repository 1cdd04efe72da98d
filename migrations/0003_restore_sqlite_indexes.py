"""Re-create the indexes of 0001 that SQLite lost, and add composite organization indexes.

On SQLite, adding a CHECK constraint rebuilds the table, and Tortoise does not
re-create the table's indexes afterwards: 0001 left ten tables without their
declared indexes there. The statements below (the same names as PostgreSQL's)
bring them back; on PostgreSQL they already exist and nothing happens.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

INDEXES_OF_0001 = [
    "CREATE INDEX IF NOT EXISTS idx_application_closes__6d0607 ON application_call (closes_at)",
    "CREATE INDEX IF NOT EXISTS idx_event_applica_1f6cd3 ON event (application_call_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_first_d_732560 ON event (first_date, id)",
    "CREATE INDEX IF NOT EXISTS idx_event_governi_cf976e ON event (governing_body_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_instrum_aac654 ON event (instrument_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_margins_8db1dd ON event (margins_of_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_name_4e114b ON event (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_event_program_da3649 ON event (programme_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_date_event_i_2479f0 ON event_date (event_id, start_date)",
    "CREATE INDEX IF NOT EXISTS idx_event_date_start_d_1b6545 ON event_date (start_date, end_date)",
    "CREATE INDEX IF NOT EXISTS idx_event_langu_languag_054ad8 ON event_language (language, event_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_organ_event_i_b8fdff ON event_organizer (event_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_organ_office__521713 ON event_organizer (office_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_organ_organiz_dedaea ON event_organizer (organization_id)",
    "CREATE INDEX IF NOT EXISTS idx_governing_b_instrum_5f8477 ON governing_body (instrument_id)",
    "CREATE INDEX IF NOT EXISTS idx_governing_b_name_ef4668 ON governing_body (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_governing_b_parent__e6ae3c ON governing_body (parent_id)",
    "CREATE INDEX IF NOT EXISTS idx_governing_b_secreta_2ed961 ON governing_body (secretariat_id)",
    "CREATE INDEX IF NOT EXISTS idx_instrument_name_16373d ON instrument (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_instrument_parent__eada40 ON instrument (parent_id)",
    "CREATE INDEX IF NOT EXISTS idx_membership_member__af977a ON membership (member_id, network_id)",
    "CREATE INDEX IF NOT EXISTS idx_membership_network_77c63d ON membership (network_id, member_id)",
    "CREATE INDEX IF NOT EXISTS idx_office_kind_ccdf01 ON office (kind)",
    "CREATE INDEX IF NOT EXISTS idx_office_name_1d8cc3 ON office (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_office_parent__bd9374 ON office (parent_id)",
    "CREATE INDEX IF NOT EXISTS idx_office_loca_country_5741b4 ON office_location (country)",
    "CREATE INDEX IF NOT EXISTS idx_office_loca_office__17a924 ON office_location (office_id, valid_from)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_country_5f7bfa ON organization (country)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_kind_b49f5c ON organization (kind)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_name_438ba2 ON organization (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_languag_ca7c0f ON organization_language (language, organization_id)",
    "CREATE INDEX IF NOT EXISTS idx_organizatio_themati_72df4a ON organization_thematic_area (thematic_area_id, organization_id)",
    "CREATE INDEX IF NOT EXISTS idx_participati_event_i_c6f07d ON participation (event_id, organization_id)",
    "CREATE INDEX IF NOT EXISTS idx_participati_organiz_a6166d ON participation (organization_id)",
    "CREATE INDEX IF NOT EXISTS idx_partnership_office__4e0556 ON partnership (office_id)",
    "CREATE INDEX IF NOT EXISTS idx_partnership_partner_1a9182 ON partnership (partner_office_id)",
    "CREATE INDEX IF NOT EXISTS idx_partnership_partner_3b99ae ON partnership (partner_organization_id)",
    "CREATE INDEX IF NOT EXISTS idx_programme_name_7e5357 ON programme (name, id)",
    "CREATE INDEX IF NOT EXISTS idx_programme_office__18e5c0 ON programme (office_id)",
]


class Migration(migrations.Migration):
    dependencies = [('models', '0002_search')]

    initial = False

    operations = [
        ops.RunSQL(INDEXES_OF_0001, reverse_sql=[]),
        ops.AddIndex(
            model_name='Organization',
            index=Index(fields=['kind', 'name', 'id']),
        ),
        ops.AddIndex(
            model_name='Organization',
            index=Index(fields=['country', 'name', 'id']),
        ),
        ops.AddIndex(
            model_name='Organization',
            index=Index(fields=['ecosoc_status', 'name', 'id']),
        ),
    ]
