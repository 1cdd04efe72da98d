"""Former names of offices and organizations.

Check constraints are added after the tables and indexes after the check
constraints: on SQLite adding a CHECK rebuilds the table and drops its indexes.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint

class Migration(migrations.Migration):
    dependencies = [('models', '0003_restore_sqlite_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OfficeName',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=255)),
                ('valid_from', fields.DateField(null=True)),
                ('valid_to', fields.DateField(null=True)),
                ('source', fields.CharField(null=True, max_length=500)),
                ('office', fields.ForeignKeyField('models.Office', source_field='office_id', db_constraint=True, to_field='id', related_name='former_names', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'office_name', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A former name of a UNODC office.'},
            bases=['NamePeriod'],
        ),
        ops.CreateModel(
            name='OrganizationName',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=255)),
                ('valid_from', fields.DateField(null=True)),
                ('valid_to', fields.DateField(null=True)),
                ('source', fields.CharField(null=True, max_length=500)),
                ('organization', fields.ForeignKeyField('models.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='former_names', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'organization_name', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A former name of an organization.'},
            bases=['NamePeriod'],
        ),
        ops.AddConstraint(model_name='OfficeName', constraint=CheckConstraint(check='valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to', name='office_name_date_order')),
        ops.AddIndex(model_name='OfficeName', index=Index(fields=['office_id', 'valid_from'])),
        ops.AddConstraint(model_name='OrganizationName', constraint=CheckConstraint(check='valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to', name='organization_name_date_order')),
        ops.AddIndex(model_name='OrganizationName', index=Index(fields=['organization_id', 'valid_from'])),
    ]
