"""Database lifecycle: opening Tortoise, migrating, and metering SQL statements."""
