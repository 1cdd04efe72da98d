"""Search documents: the text of each searchable entity, as the full-text indexes see it.

One row per entity, written only by ``services.search_index.reindex``. The
text is already folded (lower case, no accents, punctuation removed), so both
databases index exactly the same words. Migration 0002 adds the index on top:
an FTS5 table kept in step by triggers on SQLite, a generated ``tsv`` column
with GIN indexes on PostgreSQL.
"""

from tortoise import fields
from tortoise.migrations.constraints import UniqueConstraint
from tortoise.models import Model


class SearchDocument(Model):
    """The searchable text of one Organization, Office, Event, GoverningBody, Instrument or Programme."""

    id = fields.IntField(primary_key=True)
    entity_type = fields.CharField(max_length=20, description="GraphQL type name of the entity, e.g. Office")
    entity_id = fields.IntField(description="Primary key of the entity in its own table")
    title_text = fields.TextField(description="Name, acronym, aliases and codes, one per line")
    place_text = fields.TextField(description="City, venue and country names")
    body_text = fields.TextField(description="Description")

    class Meta:
        table = "search_document"
        constraints = (UniqueConstraint(fields=("entity_type", "entity_id"), name="search_document_entity_unique"),)
