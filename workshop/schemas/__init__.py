"""pydantic models of everything that crosses the wire: request bodies, step configuration,
snapshot, events, results and the JSON archive. The OpenAPI document is generated from them
(workshop/web/apidoc.py); ``parse_body`` turns a refused body into our own translated messages.
"""

from workshop.schemas.parsing import parse_body, parse_data

__all__ = ["parse_body", "parse_data"]
