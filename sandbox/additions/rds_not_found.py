"""DBProxyNotFoundFault (HTTP 404) from every proxy call naming a proxy that does not exist.

https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBProxy.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBProxyTargets.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBProxyTargetGroups.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBProxyTargetGroup.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RegisterDBProxyTargets.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeregisterDBProxyTargets.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ListTagsForResource.html

Each of these lists DBProxyNotFoundFault among its errors. moto looks the proxy up without a
check (an HTML 500) and lists no tags for a proxy ARN it does not know (an empty list).
"""

import functools
import inspect
from typing import Any, Callable

from moto.rds.exceptions import DBProxyNotFoundFault
from moto.rds.models import RDSBackend
from moto.rds.utils import split_arn

# Backend methods whose first argument is the proxy's name.
BY_PROXY_NAME = [
    "delete_db_proxy",
    "describe_db_proxy_targets",
    "describe_db_proxy_target_groups",
    "modify_db_proxy_target_group",
    "register_db_proxy_targets",
    "deregister_db_proxy_targets",
]


def requiring_proxy(method: Callable[..., Any]) -> Callable[..., Any]:
    name_parameter = list(inspect.signature(method).parameters)[1]

    @functools.wraps(method)
    def checked(backend: RDSBackend, *args: Any, **kwargs: Any) -> Any:
        name = args[0] if args else kwargs[name_parameter]
        if name not in backend.db_proxies:
            raise DBProxyNotFoundFault(name)
        return method(backend, *args, **kwargs)

    return checked


def install() -> None:
    for name in BY_PROXY_NAME:
        setattr(RDSBackend, name, requiring_proxy(getattr(RDSBackend, name)))

    list_tags = RDSBackend.list_tags_for_resource

    def list_tags_for_resource(backend: RDSBackend, arn: str) -> list[dict[str, str]]:
        if backend.arn_regex.match(arn):
            _, _, resource_type, resource_id = split_arn(arn)
            if resource_type == "db-proxy" and backend._find_resource(resource_type, resource_id) is None:
                raise DBProxyNotFoundFault(resource_id)
        return list_tags(backend, arn)

    RDSBackend.list_tags_for_resource = list_tags_for_resource
