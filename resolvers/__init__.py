"""Data access for the GraphQL schema: root queries and relationship fields.

Resolvers return models (or pages of models); they never import ``schema``.
"""
