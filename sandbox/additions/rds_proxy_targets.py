"""The target rows of a registered Aurora cluster: one TRACKED_CLUSTER row, and one RDS_INSTANCE
row per instance of the cluster, as AWS reports them (moto reports the TRACKED_CLUSTER row alone).

https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBProxyTargets.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RegisterDBProxyTargets.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBProxyTarget.html
https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-managing.html

The rows follow the outputs shown in AWS's documentation and CLI examples: the TRACKED_CLUSTER row
has the cluster's id and port, and health only in RegisterDBProxyTargets' answer (REGISTERING);
each RDS_INSTANCE row has the instance's id, endpoint and port, TrackedClusterId, Role
(READ_WRITE for the writer, READ_ONLY for a reader) and its health. The rows are computed on every
read, so an instance added to the cluster later appears too. An instance row is REGISTERING in
the answer to RegisterDBProxyTargets and in the first DescribeDBProxyTargets that lists it, and
AVAILABLE on later reads once its instance is available. A cluster that does not exist fails
with DBClusterNotFoundFault.
"""

from typing import Any, Callable

from moto.rds.exceptions import DBClusterNotFoundError
from moto.rds.models import DBCluster, DBProxyTarget, RDSBackend

TRACKED_CLUSTER = "TRACKED_CLUSTER"


def cluster_row(cluster_id: str, port: int, health: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {"RdsResourceId": cluster_id, "Port": port, "Type": TRACKED_CLUSTER}
    if health:
        row["TargetHealth"] = {"State": health}
    return row


def instance_rows(cluster: DBCluster, health: Callable[[Any], str]) -> list[dict[str, Any]]:
    """One row per instance of the cluster; health(instance) gives its TargetHealth state."""
    return [
        {
            "Endpoint": instance.address,
            "TrackedClusterId": cluster.db_cluster_identifier,
            "RdsResourceId": instance.db_instance_identifier,
            "Port": instance.port,
            "Type": "RDS_INSTANCE",
            "Role": "READ_WRITE" if instance.is_cluster_writer else "READ_ONLY",
            "TargetHealth": {"State": health(instance)},
        }
        for instance in cluster.members
    ]


def described_health(target: DBProxyTarget) -> Callable[[Any], str]:
    """REGISTERING on the first read that lists an instance, AVAILABLE after once it is available."""
    if not hasattr(target, "instances_seen"):
        target.instances_seen = set()
    seen: set[str] = target.instances_seen

    def health(instance: Any) -> str:
        first_look = instance.db_instance_identifier not in seen
        seen.add(instance.db_instance_identifier)
        return "REGISTERING" if first_look or instance.status != "available" else "AVAILABLE"

    return health


def install() -> None:
    register = RDSBackend.register_db_proxy_targets
    describe = RDSBackend.describe_db_proxy_targets

    def register_db_proxy_targets(
        backend: RDSBackend,
        db_proxy_name: str,
        target_group_name: str,
        db_cluster_identifiers: list[str],
        db_instance_identifiers: list[str],
    ) -> list[Any]:
        for cluster_id in db_cluster_identifiers:
            if cluster_id not in backend.clusters:
                raise DBClusterNotFoundError(cluster_id)
        targets = register(backend, db_proxy_name, target_group_name, db_cluster_identifiers, db_instance_identifiers)
        rows: list[Any] = []
        for target in targets:
            if target.type != TRACKED_CLUSTER:
                rows.append(target)
                continue
            cluster = backend.clusters[target.rds_resource_id]
            rows.append(cluster_row(target.rds_resource_id, cluster.port, "REGISTERING"))
            rows.extend(instance_rows(cluster, lambda _instance: "REGISTERING"))
        return rows

    def describe_db_proxy_targets(backend: RDSBackend, proxy_name: str) -> list[Any]:
        rows: list[Any] = []
        for target in describe(backend, proxy_name):
            if target.type != TRACKED_CLUSTER:
                rows.append(target)
                continue
            cluster = backend.clusters.get(target.rds_resource_id)
            rows.append(cluster_row(target.rds_resource_id, cluster.port if cluster else 0, None))
            if cluster:
                rows.extend(instance_rows(cluster, described_health(target)))
        return rows

    RDSBackend.register_db_proxy_targets = register_db_proxy_targets
    RDSBackend.describe_db_proxy_targets = describe_db_proxy_targets
