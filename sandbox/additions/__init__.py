"""What moto lacks and this project depends on, one module each, installed in this order."""

ADDITIONS: list[str] = [
    "rds_modify_proxy",
    "rds_proxy_targets",
    # After rds_proxy_targets, so that a missing proxy is named before a missing cluster.
    "rds_not_found",
    "rds_subnet_groups",
    "rds_snapshots",
    "rds_cluster_iam_auth",
    "ec2_security_group_in_use",
    "lambda_vpc_id",
    "iam_simulate_principal_policy",
    "json_refusals",
    "lambda_node_invoke",
    "rds_cluster_exists",
    "lambda_update_status",
    # After ec2_security_group_in_use, whose release delay it applies.
    "lambda_vpc_release",
    "rds_data_postgres",
    "timing",  # last: it times whatever the additions before it create
]
