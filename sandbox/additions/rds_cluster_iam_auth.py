"""ModifyDBCluster's EnableIAMDatabaseAuthentication turns IAM database authentication on or off.

https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html

moto accepts the member but keeps IAMDatabaseAuthenticationEnabled as the cluster was created.
"""

from typing import Any

from moto.rds.models import DBCluster, RDSBackend


def install() -> None:
    modify = RDSBackend.modify_db_cluster

    def modify_db_cluster(backend: RDSBackend, kwargs: dict[str, Any]) -> DBCluster:
        enable = kwargs.get("enable_iam_database_authentication")
        answer = modify(backend, kwargs)
        if enable is not None:
            answer.iam_auth = enable
            backend.clusters[answer.db_cluster_identifier].iam_auth = enable
        return answer

    RDSBackend.modify_db_cluster = modify_db_cluster
