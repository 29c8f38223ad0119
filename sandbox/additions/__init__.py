"""What moto lacks and this project depends on, one module each, installed in this order."""

ADDITIONS: list[str] = [
    "timing",  # last: it times whatever the additions before it create
]
