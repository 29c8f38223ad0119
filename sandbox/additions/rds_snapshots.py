"""A deleted DB cluster's automated snapshots go with it; manual and final snapshots stay.

https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html

DeleteAutomatedBackups: "The default is to remove automated backups immediately after the DB
cluster is deleted." moto keeps them, and names each `rds:<cluster>-<minute>`, so a cluster
created again under the same name within the same minute collides with the old snapshot.
"""

from moto.core.responses import ActionResult
from moto.rds.responses import RDSResponse


def install() -> None:
    delete = RDSResponse.delete_db_cluster

    def delete_db_cluster(self: RDSResponse) -> ActionResult:
        result = delete(self)
        if self.params.get("DeleteAutomatedBackups") is not False:
            cluster_id = self.params["DBClusterIdentifier"].lower()
            snapshots = self.backend.cluster_snapshots
            for snapshot_id, snapshot in list(snapshots.items()):
                if snapshot.snapshot_type == "automated" and snapshot.db_cluster_identifier == cluster_id:
                    del snapshots[snapshot_id]
        return result

    RDSResponse.delete_db_cluster = delete_db_cluster
