"""DB subnet groups: a name is taken once, a group in use cannot be deleted, a changed one stays.

https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSubnetGroup.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSubnetGroup.html

CreateDBSubnetGroup under a name that exists fails with DBSubnetGroupAlreadyExists (moto
overwrites the group). DeleteDBSubnetGroup of a group that a DB cluster or DB instance still uses
fails with InvalidDBSubnetGroupStateFault (moto deletes it). ModifyDBSubnetGroup changes the
group's subnets and description and keeps the group (moto removes it from its table); an unknown
name fails with DBSubnetGroupNotFoundFault.
"""

from typing import Any

from moto.rds.exceptions import DBSubnetGroupNotFoundError, RDSClientError
from moto.rds.models import DBSubnetGroup, RDSBackend


def user_of(backend: RDSBackend, group_name: str) -> str | None:
    """The first DB cluster or DB instance that uses the group, named as RDS words it."""
    wanted = group_name.lower()
    for cluster in backend.clusters.values():
        if (cluster.db_subnet_group_name or "").lower() == wanted:
            return f"database cluster: {cluster.db_cluster_identifier}"
    for instance in backend.databases.values():
        # moto keeps an instance's group name write-only, behind this attribute.
        if (getattr(instance, "_db_subnet_group_name", None) or "").lower() == wanted:
            return f"database instance: {instance.db_instance_identifier}"
    return None


def install() -> None:
    create = RDSBackend.create_subnet_group
    delete = RDSBackend.delete_subnet_group

    def create_subnet_group(backend: RDSBackend, subnet_name: str, *args: Any, **kwargs: Any) -> DBSubnetGroup:
        if subnet_name in backend.subnet_groups:
            raise RDSClientError("DBSubnetGroupAlreadyExists", f"The DB subnet group '{subnet_name}' already exists.")
        return create(backend, subnet_name, *args, **kwargs)

    def delete_subnet_group(backend: RDSBackend, subnet_name: str) -> DBSubnetGroup:
        user = user_of(backend, subnet_name)
        if user:
            raise RDSClientError(
                "InvalidDBSubnetGroupStateFault",
                f"Cannot delete the subnet group '{subnet_name}' because at least one {user} is still using it.",
            )
        return delete(backend, subnet_name)

    def modify_db_subnet_group(backend: RDSBackend, subnet_name: str, description: str | None, subnets: list) -> DBSubnetGroup:
        group = backend.subnet_groups.get(subnet_name)
        if group is None:
            raise DBSubnetGroupNotFoundError(subnet_name)
        group.subnets = subnets
        if description is not None:
            group.description = description
        return group

    RDSBackend.create_subnet_group = create_subnet_group
    RDSBackend.delete_subnet_group = delete_subnet_group
    RDSBackend.modify_db_subnet_group = modify_db_subnet_group
