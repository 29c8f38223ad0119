"""What moto lacks and this project depends on, one module each, installed in this order."""

ADDITIONS: list[str] = [
    "rds_modify_proxy",
    "rds_not_found",
    "rds_subnet_groups",
    "rds_snapshots",
]
