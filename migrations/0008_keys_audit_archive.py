"""API keys, the audit log, archiving and versions of entities, the justification of a participation.

Organizations left out of public reads are now the hidden and the archived
ones: the partial index ``organization_hidden`` becomes ``organization_withheld``,
its predicate written as ``queries.access.withheld_sql`` writes it, per database.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import KeyRole
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

SQLITE_WITHHELD = "CREATE INDEX organization_withheld ON organization (id) WHERE hidden = 1 OR archived_at IS NOT NULL"
POSTGRES_WITHHELD = "CREATE INDEX organization_withheld ON organization (id) WHERE hidden OR archived_at IS NOT NULL"
HIDDEN = "CREATE INDEX organization_hidden ON organization (id) WHERE hidden"


async def withheld_index(apps, schema_editor) -> None:
    sqlite = schema_editor.client.capabilities.dialect == "sqlite"
    await schema_editor.client.execute_query("DROP INDEX IF EXISTS organization_hidden")  # lost on SQLite by 0005's table rebuild
    await schema_editor.client.execute_query(SQLITE_WITHHELD if sqlite else POSTGRES_WITHHELD)


async def hidden_index(apps, schema_editor) -> None:
    await schema_editor.client.execute_query("DROP INDEX organization_withheld")
    await schema_editor.client.execute_query(HIDDEN)


class Migration(migrations.Migration):
    dependencies = [('models', '0007_relation_page_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ApiKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(description="Who or what uses the key, e.g. 'UNCAC Coalition secretariat'", max_length=200)),
                ('role', fields.CharEnumField(description='COALITION: COALITION\nSTAFF: STAFF\nADMIN: ADMIN', enum_type=KeyRole, max_length=20)),
                ('network', fields.ForeignKeyField('models.Organization', source_field='network_id', null=True, description='For a COALITION key: the network it speaks for', db_constraint=True, to_field='id', related_name='api_keys', on_delete=OnDelete.RESTRICT)),
                ('digest', fields.CharField(unique=True, description='HMAC-SHA-256 of the key, hex', max_length=64)),
                ('prefix', fields.CharField(description="The key's first characters, to recognise it in lists", max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_key', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A credential sent as ``Authorization: Bearer <key>``, of which only a keyed hash is stored.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('key', fields.ForeignKeyField('models.ApiKey', source_field='key_id', null=True, db_constraint=True, to_field='id', related_name='audit_entries', on_delete=OnDelete.RESTRICT)),
                ('role', fields.CharField(description="The writer's role (a command-line write is ADMIN with no key)", max_length=20)),
                ('actor', fields.CharField(description="The key's name, or the command that wrote", max_length=200)),
                ('operation', fields.CharField(description='The mutation, import or command, e.g. organizationUpdate', max_length=100)),
                ('object_type', fields.CharField(max_length=40)),
                ('object_id', fields.IntField(null=True)),
                ('before', fields.JSONField(null=True, description='The changed fields before, null for a creation', encoder=JSON_DUMPS, decoder=loads)),
                ('after', fields.JSONField(null=True, description='The changed fields after, null for a deletion', encoder=JSON_DUMPS, decoder=loads)),
                ('personal', fields.BooleanField(default=False, description='Whether before/after hold personal data')),
            ],
            options={'table': 'audit_entry', 'app': 'models', 'indexes': [Index(fields=['object_type', 'object_id', 'id']), Index(fields=['at', 'id'])], 'pk_attr': 'id', 'table_description': 'One write: who made it, when, what it was, and the changed fields before and after.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ApplicationCall',
            name='archived_at',
            field=fields.DatetimeField(null=True, description='When it was archived (archived entities leave public reads)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='ApplicationCall',
            name='version',
            field=fields.IntField(default=1, db_default=1, description='Raised by every update: a write names the version it read'),
        ),
        ops.AddField(
            model_name='Event',
            name='archived_at',
            field=fields.DatetimeField(null=True, description='When it was archived (archived entities leave public reads)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Event',
            name='version',
            field=fields.IntField(default=1, db_default=1, description='Raised by every update: a write names the version it read'),
        ),
        ops.AddField(
            model_name='GoverningBody',
            name='archived_at',
            field=fields.DatetimeField(null=True, description='When it was archived (archived entities leave public reads)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='GoverningBody',
            name='version',
            field=fields.IntField(default=1, db_default=1, description='Raised by every update: a write names the version it read'),
        ),
        ops.AddField(
            model_name='Instrument',
            name='archived_at',
            field=fields.DatetimeField(null=True, description='When it was archived (archived entities leave public reads)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Instrument',
            name='version',
            field=fields.IntField(default=1, db_default=1, description='Raised by every update: a write names the version it read'),
        ),
        ops.AddField(
            model_name='Office',
            name='archived_at',
            field=fields.DatetimeField(null=True, description='When it was archived (archived entities leave public reads)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Office',
            name='version',
            field=fields.IntField(default=1, db_default=1, description='Raised by every update: a write names the version it read'),
        ),
        ops.AddField(
            model_name='Organization',
            name='archived_at',
            field=fields.DatetimeField(null=True, description='When it was archived (archived entities leave public reads)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Organization',
            name='version',
            field=fields.IntField(default=1, db_default=1, description='Raised by every update: a write names the version it read'),
        ),
        ops.AddField(
            model_name='Participation',
            name='justification',
            field=fields.TextField(null=True, description='Personal data: why the organization applied (for UNODC staff and its own coalition)', unique=False),
        ),
        ops.AddField(
            model_name='Programme',
            name='archived_at',
            field=fields.DatetimeField(null=True, description='When it was archived (archived entities leave public reads)', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Programme',
            name='version',
            field=fields.IntField(default=1, db_default=1, description='Raised by every update: a write names the version it read'),
        ),
        ops.RunPython(withheld_index, hidden_index),
    ]
