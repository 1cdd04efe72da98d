"""Browser-facing parts of the UNODC partner directory: the GraphiQL page and its static assets."""
