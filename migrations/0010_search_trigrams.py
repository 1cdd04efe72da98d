"""Correcting misspelt search words through a trigram index, on both databases.

PostgreSQL: the pg_trgm extension (already asked for by 0002; required here
with a clear message when the server does not ship it) and its GIN index on
``search_word``.

SQLite: ``search_word`` (every indexed word and its number of trigrams) and
``search_trigram`` (each trigram of each word), filled from the FTS5
vocabulary here and kept in step by ``services.search_index.reindex``. A
misspelt word is then compared only with the words that share a trigram with
it, never with the whole vocabulary.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE_FORWARD = [
    "CREATE TABLE IF NOT EXISTS search_word (word TEXT PRIMARY KEY, trigrams INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS search_trigram (trigram TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (trigram, word)) WITHOUT ROWID",
]
SQLITE_BACKWARD = ["DROP TABLE search_trigram", "DROP TABLE search_word"]

NO_TRIGRAMS = (
    "PostgreSQL has no pg_trgm extension available ({error}). Search corrects misspelt words through its trigram "
    "index: install the server's contrib package (e.g. postgresql-contrib) or ask the database administrator to "
    "run CREATE EXTENSION pg_trgm, then migrate again."
)


def trigrams(word: str) -> set[str]:
    """The trigrams of a word as pg_trgm pads it (two spaces before, one after); ``queries.search`` uses the same."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


async def create_trigram_index(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        try:
            await client.execute_query("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:
            raise RuntimeError(NO_TRIGRAMS.format(error=error)) from error
        return
    for statement in SQLITE_FORWARD:
        await client.execute_query(statement)
    _, rows = await client.execute_query("SELECT term FROM search_vocab")
    words = [row["term"] for row in rows]
    if words:
        await client.execute_many(
            "INSERT OR IGNORE INTO search_word (word, trigrams) VALUES (?, ?)",
            [[word, len(trigrams(word))] for word in words],
        )
        await client.execute_many(
            "INSERT OR IGNORE INTO search_trigram (trigram, word) VALUES (?, ?)",
            [[gram, word] for word in words for gram in trigrams(word)],
        )


async def drop_trigram_index(apps, schema_editor) -> None:
    # On PostgreSQL the extension stays: 0002's objects use it.
    if schema_editor.client.capabilities.dialect == "sqlite":
        for statement in SQLITE_BACKWARD:
            await schema_editor.client.execute_query(statement)


class Migration(migrations.Migration):
    dependencies = [('models', '0009_data_version')]

    initial = False

    operations = [
        ops.RunPython(create_trigram_index, drop_trigram_index),
    ]
