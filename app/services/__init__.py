"""Services: the only place that writes, and the read paths GraphQL and the CLI share."""
