"""Rules and reference data of the domain, free of the database: who may see what, countries and UN M49 areas, text folding."""
