"""The data version: a one-row table and the triggers that bump it with every change (``db.data_version``).

The triggers differ per database (statement-level on PostgreSQL, row triggers
on SQLite), so they are installed by a RunPython that asks the connection for
its dialect. ``db.lifecycle.migrate`` installs them again after every later
migration, for tables added or rebuilt since.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from db import data_version


async def install(apps, schema_editor) -> None:
    await data_version.install(schema_editor.client)


async def uninstall(apps, schema_editor) -> None:
    await data_version.uninstall(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('models', '0008_keys_audit_archive')]

    initial = False

    operations = [
        ops.RunPython(install, uninstall),
    ]
