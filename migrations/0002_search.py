"""Full-text search: the search_document table and, per database, the index over it.

SQLite: an FTS5 table ``search_fts`` (external content: search_document, same
column names) kept in step by triggers, and ``search_vocab`` (fts5vocab) listing its words.

PostgreSQL: the unaccent and pg_trgm extensions, an IMMUTABLE
``directory_unaccent(text)``, a generated ``tsv`` column with a GIN index,
and ``search_word`` (every indexed word, trigram GIN index) for correcting
misspelt search terms, filled by a trigger.

Both: a partial index on the (few) hidden organizations, which every public
search leaves out.

RunSQL cannot choose statements by database, so that part is a RunPython
that asks the connection for its dialect.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

# Search leaves out hidden organizations with `entity_id IN (SELECT id FROM organization WHERE hidden)`:
# a partial index holding only those few rows spares a scan of the whole table per search.
HIDDEN_ORGANIZATIONS = "CREATE INDEX organization_hidden ON organization (id) WHERE hidden"

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_text, place_text, body_text,
        content='search_document', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
    )""",
    """CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts (rowid, title_text, place_text, body_text)
        VALUES (new.id, new.title_text, new.place_text, new.body_text);
    END""",
    """CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_text, place_text, body_text)
        VALUES ('delete', old.id, old.title_text, old.place_text, old.body_text);
    END""",
    """CREATE TRIGGER search_document_fts_update AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_text, place_text, body_text)
        VALUES ('delete', old.id, old.title_text, old.place_text, old.body_text);
        INSERT INTO search_fts (rowid, title_text, place_text, body_text)
        VALUES (new.id, new.title_text, new.place_text, new.body_text);
    END""",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
    HIDDEN_ORGANIZATIONS,
]

SQLITE_BACKWARD = [
    "DROP INDEX organization_hidden",
    "DROP TABLE search_vocab",
    "DROP TRIGGER search_document_fts_update",
    "DROP TRIGGER search_document_fts_delete",
    "DROP TRIGGER search_document_fts_insert",
    "DROP TABLE search_fts",
]

POSTGRES_EXTENSIONS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
]

# {unaccent} and {trgm} are the schemas the extensions live in, quoted.
POSTGRES_FORWARD = [
    # unaccent() is only STABLE (its dictionary could change), so it cannot be
    # used in a generated column. Pinning the dictionary makes it safe to treat
    # as IMMUTABLE, the usual way to index unaccented text.
    """CREATE OR REPLACE FUNCTION directory_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT {unaccent}.unaccent('{unaccent}.unaccent'::regdictionary, $1) $$""",
    """ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, directory_unaccent(title_text)), 'A')
        || setweight(to_tsvector('simple'::regconfig, directory_unaccent(place_text)), 'B')
        || setweight(to_tsvector('simple'::regconfig, directory_unaccent(body_text)), 'D')
    ) STORED""",
    "CREATE INDEX search_document_tsv ON search_document USING gin (tsv)",
    'CREATE TABLE search_word (word text COLLATE "C" PRIMARY KEY)',
    "CREATE INDEX search_word_trigram ON search_word USING gin (word {trgm}.gin_trgm_ops)",
    """CREATE FUNCTION search_word_collect() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_word (word) SELECT unnest(tsvector_to_array(NEW.tsv)) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER search_document_words AFTER INSERT OR UPDATE ON search_document
        FOR EACH ROW EXECUTE FUNCTION search_word_collect()""",
    "INSERT INTO search_word (word) SELECT DISTINCT unnest(tsvector_to_array(tsv)) FROM search_document",
    HIDDEN_ORGANIZATIONS,
]

POSTGRES_BACKWARD = [
    "DROP INDEX organization_hidden",
    "DROP TRIGGER search_document_words ON search_document",
    "DROP FUNCTION search_word_collect()",
    "DROP TABLE search_word",
    "DROP INDEX search_document_tsv",
    "ALTER TABLE search_document DROP COLUMN tsv",
    "DROP FUNCTION directory_unaccent(text)",
]


def _dialect(schema_editor) -> str:
    dialect = schema_editor.client.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"Full-text search supports SQLite and PostgreSQL, not {dialect}.")
    return dialect


async def _execute(schema_editor, statements) -> None:
    # One statement per call: trigger and function bodies contain semicolons.
    for statement in statements:
        await schema_editor.client.execute_query(statement)


async def _extension_schemas(schema_editor) -> dict[str, str]:
    _, rows = await schema_editor.client.execute_query(
        "SELECT extname, quote_ident(nspname) AS schema FROM pg_extension"
        " JOIN pg_namespace ON pg_namespace.oid = extnamespace WHERE extname IN ('unaccent', 'pg_trgm')"
    )
    schemas = {row["extname"]: row["schema"] for row in rows}
    return {"unaccent": schemas["unaccent"], "trgm": schemas["pg_trgm"]}


async def create_search_index(apps, schema_editor) -> None:
    if _dialect(schema_editor) == "sqlite":
        await _execute(schema_editor, SQLITE_FORWARD)
        return
    await _execute(schema_editor, POSTGRES_EXTENSIONS)
    schemas = await _extension_schemas(schema_editor)
    await _execute(schema_editor, [statement.format(**schemas) for statement in POSTGRES_FORWARD])


async def drop_search_index(apps, schema_editor) -> None:
    # The extensions stay: other objects of the database may use them.
    if _dialect(schema_editor) == "sqlite":
        await _execute(schema_editor, SQLITE_BACKWARD)
    else:
        await _execute(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entity_type', fields.CharField(description='GraphQL type name of the entity, e.g. Office', max_length=20)),
                ('entity_id', fields.IntField(description='Primary key of the entity in its own table')),
                ('title_text', fields.TextField(description='Name, acronym, aliases and codes, one per line', unique=False)),
                ('place_text', fields.TextField(description='City, venue and country names', unique=False)),
                ('body_text', fields.TextField(description='Description', unique=False)),
            ],
            options={'table': 'search_document', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The searchable text of one Organization, Office, Event, GoverningBody, Instrument or Programme.'},
            bases=['Model'],
        ),
        # Constraints listed in CreateModel's options are not created: add them separately, as 0001 does.
        ops.AddConstraint(
            model_name='SearchDocument',
            constraint=UniqueConstraint(fields=('entity_type', 'entity_id'), name='search_document_entity_unique'),
        ),
        ops.RunPython(create_search_index, drop_search_index),
    ]
