"""CreateDBCluster under an identifier that is taken fails, and leaves the cluster that has it.

https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html

AWS answers DBClusterAlreadyExistsFault ("The user already has a DB cluster with the given
identifier", HTTP 400) and changes nothing. moto replaces the existing cluster with a new one and
then fails on the new one's automated snapshot (DBClusterSnapshotAlreadyExistsFault), so a
create retried after a lost answer gets the wrong error and a changed cluster.
"""

from typing import Any

from moto.rds.exceptions import RDSClientError
from moto.rds.models import DBCluster, RDSBackend


def install() -> None:
    create = RDSBackend.create_db_cluster

    def create_db_cluster(backend: RDSBackend, kwargs: dict[str, Any]) -> DBCluster:
        if kwargs["db_cluster_identifier"] in backend.clusters:
            raise RDSClientError("DBClusterAlreadyExistsFault", "The user already has a DB cluster with the given identifier.")
        return create(backend, kwargs)

    RDSBackend.create_db_cluster = create_db_cluster
