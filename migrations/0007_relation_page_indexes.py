"""Indexes on (parent key, id) for every relation paged per parent: a page is an index scan that stops at its end."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_network_member_lists')]

    initial = False

    operations = [
        ops.RemoveIndex(
            model_name='EventOrganizer',
            name=None,
            fields=['event_id'],
        ),
        ops.RemoveIndex(
            model_name='EventOrganizer',
            name=None,
            fields=['organization_id'],
        ),
        ops.RemoveIndex(
            model_name='EventOrganizer',
            name=None,
            fields=['office_id'],
        ),
        ops.AddIndex(
            model_name='EventOrganizer',
            index=Index(fields=['event_id', 'id']),
        ),
        ops.AddIndex(
            model_name='EventOrganizer',
            index=Index(fields=['organization_id', 'id']),
        ),
        ops.AddIndex(
            model_name='EventOrganizer',
            index=Index(fields=['office_id', 'id']),
        ),
        ops.RemoveIndex(
            model_name='Membership',
            name=None,
            fields=['network_id', 'member_id'],
        ),
        ops.RemoveIndex(
            model_name='Membership',
            name=None,
            fields=['member_id', 'network_id'],
        ),
        ops.AddIndex(
            model_name='Membership',
            index=Index(fields=['network_id', 'id']),
        ),
        ops.AddIndex(
            model_name='Membership',
            index=Index(fields=['member_id', 'id']),
        ),
        ops.RemoveIndex(
            model_name='Participation',
            name=None,
            fields=['event_id', 'organization_id'],
        ),
        ops.RemoveIndex(
            model_name='Participation',
            name=None,
            fields=['organization_id'],
        ),
        ops.AddIndex(
            model_name='Participation',
            index=Index(fields=['event_id', 'id']),
        ),
        ops.AddIndex(
            model_name='Participation',
            index=Index(fields=['organization_id', 'id']),
        ),
        ops.RemoveIndex(
            model_name='Partnership',
            name=None,
            fields=['office_id'],
        ),
        ops.RemoveIndex(
            model_name='Partnership',
            name=None,
            fields=['partner_organization_id'],
        ),
        ops.RemoveIndex(
            model_name='Partnership',
            name=None,
            fields=['partner_office_id'],
        ),
        ops.AddIndex(
            model_name='Partnership',
            index=Index(fields=['office_id', 'id']),
        ),
        ops.AddIndex(
            model_name='Partnership',
            index=Index(fields=['partner_organization_id', 'id']),
        ),
        ops.AddIndex(
            model_name='Partnership',
            index=Index(fields=['partner_office_id', 'id']),
        ),
        ops.AddIndex(
            model_name='Partnership',
            index=Index(fields=['programme_id', 'id']),
        ),
    ]
