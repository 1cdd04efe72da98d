"""Domain services shared by the GraphQL layer and the command line."""
