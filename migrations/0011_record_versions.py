"""Focal points and participations get a version (updates name the one they read) and can be archived."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_search_trigrams')]

    initial = False

    operations = [
        ops.AddField(
            model_name='FocalPoint',
            name='archived_at',
            field=fields.DatetimeField(null=True, description="When it was archived (archived rows leave every read but staff's)", auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='FocalPoint',
            name='version',
            field=fields.IntField(default=1, description='Raised by every update: a write names the version it read', db_default=1),
        ),
        ops.AddField(
            model_name='Participation',
            name='archived_at',
            field=fields.DatetimeField(null=True, description="When it was archived (archived rows leave every read but staff's)", auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Participation',
            name='version',
            field=fields.IntField(default=1, description='Raised by every update: a write names the version it read', db_default=1),
        ),
    ]
