"""DeleteSecurityGroup refuses a group that is still in use: DependencyViolation, HTTP 400.

AWS: "If you attempt to delete a security group that is associated with an instance or network
interface, is referenced by another security group in the same VPC, or has a VPC association, the
operation fails with DependencyViolation."
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
AWS words it "resource sg-… has a dependent object". moto deletes any group.

In use, here: an EC2 network interface in the group; a DB cluster or DB instance naming it in
VpcSecurityGroups, an RDS proxy in VpcSecurityGroupIds, a Lambda function in its VpcConfig (each is
network interfaces in the group on AWS, which moto does not create); another group of the same VPC
whose rules name it.

The interfaces of a deleted proxy, cluster, instance or function go some minutes after it (as
Terraform's retries on this error observed: https://github.com/hashicorp/terraform/issues/3758, and
CloudFormation waits for a deleted function's interfaces:
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-vpcconfig.html).
SANDBOX_ENI_RELEASE_SECONDS (default 0) keeps its groups in use that long after the deletion.
"""

import functools
import os
import time

from moto.awslambda.models import LambdaBackend, lambda_backends
from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.models import ec2_backends
from moto.ec2.responses.security_groups import SecurityGroups
from moto.rds.models import RDSBackend, rds_backends

RELEASE_SECONDS_VARIABLE = "SANDBOX_ENI_RELEASE_SECONDS"


def _releasing(ec2_backend) -> list[tuple[frozenset[str], float]]:
    """Groups of deleted holders whose interfaces are not released yet, with the release time.
    Kept on the EC2 backend, so that moto's reset empties it."""
    return ec2_backend.__dict__.setdefault("_sandbox_interfaces_releasing", [])


def _hold_after_deletion(account_id: str, region: str, group_ids: list[str]) -> None:
    if not group_ids:
        return
    delay = float(os.environ.get(RELEASE_SECONDS_VARIABLE, "0"))
    _releasing(ec2_backends[account_id][region]).append((frozenset(group_ids), time.monotonic() + delay))


def _lambda_groups(function) -> list[str]:
    return list((function._vpc_config or {}).get("SecurityGroupIds") or [])


def _groups_in_use(ec2_backend) -> set[str]:
    """Every group a live holder or a not yet released one uses. Copies each collection first:
    the server is threaded, and a deletion may run while this reads."""
    account_id, region = ec2_backend.account_id, ec2_backend.region_name
    rds = rds_backends[account_id][region]
    used: set[str] = set()
    for eni in list(ec2_backend.enis.values()):
        used.update(group.id for group in eni.group_set)
    for cluster in list(rds.clusters.values()):
        used.update(cluster.vpc_security_group_ids)
    for database in list(rds.databases.values()):
        used.update(database.vpc_security_group_ids)
    for proxy in list(rds.db_proxies.values()):
        used.update(proxy.vpc_security_group_ids)
    for function in lambda_backends[account_id][region].list_functions(func_version="ALL"):
        used.update(_lambda_groups(function))
    now = time.monotonic()
    for group_ids, released_at in list(_releasing(ec2_backend)):
        if released_at > now:
            used.update(group_ids)
    return used


def _referenced_by_other_group(ec2_backend, group) -> bool:
    for other in list(ec2_backend.groups.get(group.vpc_id, {}).values()):
        if other.id == group.id:
            continue
        for rule in [*other.ingress_rules, *other.egress_rules]:
            if (rule.source_group or {}).get("GroupId") == group.id:
                return True
    return False


def _refuse_if_in_use(ec2_backend, name: str | None, group_id: str | None) -> None:
    group = (
        ec2_backend.get_security_group_from_id(group_id)
        if group_id
        else ec2_backend.get_security_group_by_name_or_id(name)
    )
    if group is None:
        return  # moto answers the missing group
    if group.id in _groups_in_use(ec2_backend) or _referenced_by_other_group(ec2_backend, group):
        raise DependencyViolationError(f"resource {group.id} has a dependent object")


def _wrap_delete(cls, method_name: str, identifier: str, groups_of):
    """Records the groups of what the original method deletes (named by `identifier`, the first
    parameter, passed by position or by name), to keep them in use for the release delay."""
    original = getattr(cls, method_name)

    @functools.wraps(original)
    def delete(self, *args, **kwargs):
        groups = groups_of(self, kwargs[identifier] if identifier in kwargs else args[0])
        result = original(self, *args, **kwargs)
        _hold_after_deletion(self.account_id, self.region_name, groups)
        return result

    setattr(cls, method_name, delete)


def _function_groups(backend, name: str) -> list[str]:
    return [
        group_id
        for function in backend.list_functions(func_version="ALL")
        if name in (function.function_name, function.function_arn)
        for group_id in _lambda_groups(function)
    ]


def install() -> None:
    original = SecurityGroups.delete_security_group

    def delete_security_group(self):
        _refuse_if_in_use(self.ec2_backend, self._get_param("GroupName"), self._get_param("GroupId"))
        return original(self)

    SecurityGroups.delete_security_group = delete_security_group

    def groups_in(collection: str):
        def groups_of(rds, name: str) -> list[str]:
            held = getattr(rds, collection).get(name)
            return list(held.vpc_security_group_ids) if held else []

        return groups_of

    _wrap_delete(RDSBackend, "delete_db_proxy", "proxy_name", groups_in("db_proxies"))
    _wrap_delete(RDSBackend, "delete_db_cluster", "cluster_identifier", groups_in("clusters"))
    _wrap_delete(RDSBackend, "delete_db_instance", "db_instance_identifier", groups_in("databases"))
    _wrap_delete(LambdaBackend, "delete_function", "function_name", _function_groups)
