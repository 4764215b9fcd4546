"""GraphQL API (Strawberry): types converted from rows, loaders, pagination, errors, schema."""
