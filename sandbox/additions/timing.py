"""Opt-in AWS timing for benchmarks, off unless SANDBOX_TIMING=<factor> is set (e.g. 0.05).

Moto reports an Aurora cluster, a DB instance or an RDS proxy available the moment it is created,
and gone the moment it is deleted. With a factor set, each takes the time AWS takes, multiplied by
the factor: DescribeDBClusters/DescribeDBInstances/DescribeDBProxies say `creating` until then, and
`deleting` after a delete until it is gone; DescribeDBProxyTargets says UNAVAILABLE, then
REGISTERING, then AVAILABLE; CreateDBProxy refuses an IAM role younger than IAM's propagation time.
States come from the times moto created or deleted each resource, not from moto's internals.

AWS's own words and the figures used (real seconds, before the factor):
- cluster-create 60: AWS publishes only "it can take up to 20 minutes before the new DB cluster is
  available" for a cluster and its writer together
  (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_GettingStartedAurora.CreatingConnecting.AuroraPostgreSQL.html);
  Terraform logs show the cluster alone created in 32 s (hashicorp/terraform-provider-aws#50115).
- instance-create 360: the writer takes the bulk of those 20 minutes; Terraform logs show 5m38s to
  6m31s (hashicorp/terraform-provider-aws#19096, #50115).
- proxy-create 180: "Proxy creation takes a few minutes."
  (https://docs.aws.amazon.com/lambda/latest/dg/configuration-database.html)
- target-register 120: AWS says a target "might show UNAVAILABLE for a short time before it changes
  to REGISTERING or AVAILABLE" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.troubleshooting.html)
  and publishes no duration: two minutes assumed, counted from the latest of the registration, the
  proxy being available and the cluster's instances being available.
- instance-delete 720: no AWS figure; observed 11m47s (tungbq/aws-lab-with-terraform#100) and about
  12 minutes (go-to-k/cdkd#394).
- cluster-delete 60: no AWS figure; observed 1m3s (same Terraform log).
- proxy-delete 180: no AWS figure found; assumed as long as creating one.
- role-propagation 10: IAM is "eventually consistent" with no published delay
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency);
  about 4 s was measured for policy changes; 10 s assumed before RDS can assume a new role.

CreateDBInstance into a cluster that is still creating is accepted, as the RDS console does when it
creates the writer right after CreateDBCluster (CreateDBInstance:
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html); the writer
then takes its own time, which is longer than the cluster's.
"""

import os
from datetime import datetime, timedelta, timezone

from moto.core.utils import utcnow
from moto.iam.models import iam_backends
from moto.rds.exceptions import (
    DBClusterNotFoundError,
    DBInstanceNotFoundError,
    DBProxyNotFoundFault,
    InvalidParameterValue,
)
from moto.rds.models import DBCluster, DBInstance, DBProxy, DBProxyTarget, RDSBackend

SECONDS = {
    "cluster-create": 60,
    "instance-create": 360,
    "proxy-create": 180,
    "target-register": 120,
    "instance-delete": 720,
    "cluster-delete": 60,
    "proxy-delete": 180,
    "role-propagation": 10,
}

# The wording RDS create calls give for a role they cannot use yet (Terraform retries on it).
ROLE_NOT_YET_USABLE = "IAM role ARN value is invalid or does not include the required permissions for: "

_factor = 0.0
# Deleted resources still reported as deleting: (backend, kind, id) -> resource.
_deleting: dict = {}
# When a cluster was registered as a proxy target: (backend, cluster id) -> time.
_registered: dict = {}
# Every timed create and delete, for GET /_sandbox/timing.
_timelines: list = []


def factor() -> float:
    return _factor


def scaled(name: str) -> timedelta:
    return timedelta(seconds=SECONDS[name] * _factor)


def reset() -> None:
    _deleting.clear()
    _registered.clear()
    _timelines.clear()


def _epoch(moment: datetime | None) -> float | None:
    return moment.replace(tzinfo=timezone.utc).timestamp() if moment else None


def _record(kind: str, ident: str, phase: str, started: datetime, resource) -> None:
    _timelines.append({"kind": kind, "id": ident, "phase": phase, "started": started, "resource": resource})


def report() -> list[dict]:
    """Each timed create and delete: when it started and when the resource became ready or gone."""
    rows = []
    for t in _timelines:
        resource = t["resource"]
        if t["phase"] == "delete":
            done = resource.__dict__.get("_sandbox_gone_at")
        elif t["kind"] == "target":
            done = _target_ready_at(resource)
        else:
            done = resource.__dict__.get("_sandbox_ready_at")
        rows.append({"kind": t["kind"], "id": t["id"], "phase": t["phase"], "started": _epoch(t["started"]), "done": _epoch(done)})
    return rows


def _phase(resource) -> str | None:
    """The modelled status while one applies; None once moto's own status holds."""
    if "_sandbox_gone_at" in resource.__dict__:
        return "deleting"
    ready = resource.__dict__.get("_sandbox_ready_at")
    return "creating" if ready is not None and utcnow() < ready else None


def _time_status(cls) -> None:
    """cls.status reports the modelled phase first; moto's own value is kept underneath."""
    inner = cls.__dict__.get("status")

    def get(self):
        phase = _phase(self)
        if phase:
            return phase
        return inner.fget(self) if inner else self.__dict__.get("_moto_status", "available")

    def set(self, value):
        if inner:
            inner.fset(self, value)
        else:
            self.__dict__["_moto_status"] = value

    cls.status = property(get, set)


def _ready_at(resource, moment: datetime) -> None:
    resource.__dict__["_sandbox_ready_at"] = moment


def _refuse_new_role(backend, role_arn: str) -> None:
    try:
        role = iam_backends[backend.account_id][backend.partition].get_role_by_arn(role_arn)
    except Exception:
        return  # a role moto does not know is not a timing matter
    if utcnow() < role.create_date + scaled("role-propagation"):
        raise InvalidParameterValue(ROLE_NOT_YET_USABLE + role_arn)


def _registration(target) -> tuple:
    """The cluster a target row belongs to, and when that cluster was registered."""
    cluster_id = target.rds_resource_id
    if target.type == "RDS_INSTANCE":
        instance = target.backend.databases.get(target.rds_resource_id)
        cluster_id = getattr(instance, "db_cluster_identifier", None)
    return cluster_id, _registered.get((id(target.backend), cluster_id), target.created)


def _target_ready_at(target) -> datetime | None:
    """Registration plus target-register, counted from when the proxy and the instances are ready."""
    frozen = target.__dict__.get("_sandbox_ready_at")
    if frozen:
        return frozen
    backend = target.backend
    cluster_id, start = _registration(target)
    for proxy in backend.db_proxies.values():
        if any(target in group.targets for group in proxy.proxy_target_groups.values()):
            start = max(start, proxy.__dict__.get("_sandbox_ready_at", start))
    for db in backend.databases.values():
        if getattr(db, "db_cluster_identifier", None) == cluster_id:
            start = max(start, db.__dict__.get("_sandbox_ready_at", start))
    ready = start + scaled("target-register")
    if ready <= utcnow():
        _ready_at(target, ready)  # settled: later deletions must not move it
    return ready


def _field(row, key: str, attribute: str):
    """A target row's field: rows come as moto's objects, or as dicts from rds_proxy_targets."""
    return row.get(key) if isinstance(row, dict) else getattr(row, attribute)


def _tracked_target(backend, proxy_name: str, cluster_id: str | None):
    """moto's TRACKED_CLUSTER target object of a cluster registered with the proxy."""
    proxy = backend.db_proxies.get(proxy_name)
    for group in proxy.proxy_target_groups.values() if proxy else []:
        for target in group.targets:
            if target.type == "TRACKED_CLUSTER" and target.rds_resource_id == cluster_id:
                return target
    return None


def _target_health(self) -> dict:
    ready = _target_ready_at(self)
    now = utcnow()
    if now >= ready:
        return {"State": "AVAILABLE"}
    _, registered = _registration(self)
    if now < registered + scaled("target-register") / 10:
        return {"State": "UNAVAILABLE"}
    return {"State": "REGISTERING"}


def _still_deleting(backend, kind: str) -> dict:
    now = utcnow()
    live = {}
    for key, resource in list(_deleting.items()):
        if key[0] != id(backend) or key[1] != kind:
            continue
        if resource.__dict__["_sandbox_gone_at"] <= now:
            del _deleting[key]
        else:
            live[key[2]] = resource
    return live


def _with_deleting(backend, kind: str, ident, filters, describe) -> list:
    """A describe that also finds what is still being deleted."""
    deleting = _still_deleting(backend, kind)
    try:
        found = describe()
    except (DBClusterNotFoundError, DBInstanceNotFoundError, DBProxyNotFoundFault):
        if ident in deleting:
            return [deleting[ident]]
        raise
    if ident is None and not filters:
        return found + [r for r in deleting.values() if r not in found]
    return found


def _deleted(backend, kind: str, ident: str, resource, duration: str):
    now = utcnow()
    resource.__dict__["_sandbox_gone_at"] = now + scaled(duration)
    _deleting[(id(backend), kind, ident)] = resource
    _record(kind, ident, "delete", now, resource)
    return resource


def install() -> None:
    global _factor
    _factor = float(os.environ.get("SANDBOX_TIMING") or 0)
    if _factor <= 0:
        return
    for cls in (DBCluster, DBInstance, DBProxy):
        _time_status(cls)
    DBProxyTarget.target_health = property(_target_health)

    create_cluster = RDSBackend.create_db_cluster
    create_instance = RDSBackend.create_db_instance
    create_proxy = RDSBackend.create_db_proxy
    register_targets = RDSBackend.register_db_proxy_targets
    describe_targets = RDSBackend.describe_db_proxy_targets
    delete_cluster = RDSBackend.delete_db_cluster
    delete_instance = RDSBackend.delete_db_instance
    delete_proxy = RDSBackend.delete_db_proxy
    describe_clusters = RDSBackend.describe_db_clusters
    describe_instances = RDSBackend.describe_db_instances
    describe_proxies = RDSBackend.describe_db_proxies

    def create_db_cluster(self, kwargs):
        cluster = create_cluster(self, kwargs)
        cluster.status = "available"  # moto's one-read "creating" gives way to the modelled one
        _ready_at(cluster, cluster.created + scaled("cluster-create"))
        _record("cluster", cluster.db_cluster_identifier, "create", cluster.created, cluster)
        return cluster

    def create_db_instance(self, db_kwargs):
        instance = create_instance(self, db_kwargs)
        _ready_at(instance, instance.created + scaled("instance-create"))
        _record("instance", instance.db_instance_identifier, "create", instance.created, instance)
        return instance

    def create_db_proxy(self, *args, **kwargs):
        _refuse_new_role(self, kwargs.get("role_arn", ""))
        proxy = create_proxy(self, *args, **kwargs)
        _ready_at(proxy, proxy.created + scaled("proxy-create"))
        _record("proxy", proxy.db_proxy_name, "create", proxy.created, proxy)
        return proxy

    def register_db_proxy_targets(self, *args, **kwargs):
        targets = register_targets(self, *args, **kwargs)
        proxy_name = kwargs.get("db_proxy_name", "")
        now = utcnow()
        for row in targets:
            if _field(row, "Type", "type") == "TRACKED_CLUSTER":
                cluster_id = _field(row, "RdsResourceId", "rds_resource_id")
                _registered[(id(self), cluster_id)] = now
                _record("target", proxy_name, "create", now, _tracked_target(self, proxy_name, cluster_id))
        return targets

    def describe_db_proxy_targets(self, proxy_name, *args, **kwargs):
        rows = describe_targets(self, proxy_name, *args, **kwargs)
        for row in rows:
            # Instance rows built by rds_proxy_targets take the timed health of their cluster's registration.
            if isinstance(row, dict) and row.get("Type") == "RDS_INSTANCE":
                tracked = _tracked_target(self, proxy_name, row.get("TrackedClusterId"))
                if tracked is not None:
                    row["TargetHealth"] = _target_health(tracked)
        return rows

    def delete_db_cluster(self, cluster_identifier, snapshot_name=None):
        cluster = delete_cluster(self, cluster_identifier, snapshot_name)
        return _deleted(self, "cluster", cluster.db_cluster_identifier, cluster, "cluster-delete")

    def delete_db_instance(self, *args, **kwargs):
        instance = delete_instance(self, *args, **kwargs)
        return _deleted(self, "instance", instance.db_instance_identifier, instance, "instance-delete")

    def delete_db_proxy(self, proxy_name):
        proxy = delete_proxy(self, proxy_name)
        return _deleted(self, "proxy", proxy.db_proxy_name, proxy, "proxy-delete")

    def describe_db_clusters(self, db_cluster_identifier=None, filters=None):
        describe = lambda: describe_clusters(self, db_cluster_identifier, filters)  # noqa: E731
        return _with_deleting(self, "cluster", db_cluster_identifier, filters, describe)

    def describe_db_instances(self, db_instance_identifier=None, filters=None):
        describe = lambda: describe_instances(self, db_instance_identifier, filters)  # noqa: E731
        return _with_deleting(self, "instance", db_instance_identifier, filters, describe)

    def describe_db_proxies(self, db_proxy_name=None, filters=None):
        describe = lambda: describe_proxies(self, db_proxy_name, filters)  # noqa: E731
        return _with_deleting(self, "proxy", db_proxy_name, filters, describe)

    for method in (
        create_db_cluster,
        create_db_instance,
        create_db_proxy,
        register_db_proxy_targets,
        describe_db_proxy_targets,
        delete_db_cluster,
        delete_db_instance,
        delete_db_proxy,
        describe_db_clusters,
        describe_db_instances,
        describe_db_proxies,
    ):
        setattr(RDSBackend, method.__name__, method)
