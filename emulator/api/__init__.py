"""HTTP handlers: read the request, call the domain, shape the JSON reply."""
