"""Services that change the directory: the search index now, the write paths to come; each runs in a transaction."""
