"""Comments over HTTP: the secret-key API (``routes``) and the browser API
(``client_routes``); the records and rules are in ``emulator.domain.comments*``."""
