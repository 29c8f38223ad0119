"""WSGI middleware around moto's app, outermost last: each module has wrap(app) -> app."""

MIDDLEWARE: list[str] = [
    "timing",
    "validation",
]
