"""What moto lacks and this project depends on, one module each, installed in this order."""

ADDITIONS: list[str] = [
    "ec2_security_group_in_use",
    "lambda_vpc_id",
    "iam_simulate_principal_policy",
]
