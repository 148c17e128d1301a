"""The bottom layers, which no app of the domain is needed for: core, then search, then taxonomy."""
