"""Reading the directory: SQL for every read path (the resolvers' loaders and the read plans), with the access rules applied inside."""
