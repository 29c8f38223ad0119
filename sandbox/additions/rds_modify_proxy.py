"""ModifyDBProxy, and DefaultAuthScheme on CreateDBProxy and DescribeDBProxies (moto has neither).

https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBProxy.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBProxy.html

ModifyDBProxy changes only the members it is given. Auth is the new list of auth entries and
replaces the old one whole; SecurityGroups is the new list of security groups; NewDBProxyName
renames the proxy (its endpoint starts with the name, so it follows; its ARN keeps the prx- id),
and a name already taken fails with DBProxyAlreadyExistsFault. The answer shows the proxy
`modifying`; later reads show it `available`.

DefaultAuthScheme is NONE unless IAM_AUTH is asked for, and is always returned. With IAM_AUTH
the Auth list may be left out.
"""

import copy
from typing import Any

from moto.core.responses import ActionResult
from moto.rds.exceptions import DBProxyAlreadyExistsFault, DBProxyNotFoundFault
from moto.rds.models import DBProxy, RDSBackend
from moto.rds.responses import RDSResponse

# Members of ModifyDBProxy that map one-to-one onto a proxy attribute.
SETTINGS = {
    "RequireTLS": "require_tls",
    "IdleClientTimeout": "idle_client_timeout",
    "DebugLogging": "debug_logging",
    "RoleArn": "role_arn",
    "Auth": "auth",
    "SecurityGroups": "vpc_security_group_ids",
    "DefaultAuthScheme": "default_auth_scheme",
}


def modify_db_proxy(backend: RDSBackend, name: str, params: dict[str, Any]) -> DBProxy:
    proxy = backend.db_proxies.get(name)
    if proxy is None:
        raise DBProxyNotFoundFault(name)
    new_name = params.get("NewDBProxyName")
    if new_name and new_name != name:
        if new_name in backend.db_proxies:
            raise DBProxyAlreadyExistsFault(new_name)
        rename(backend, proxy, new_name)
    for member, attribute in SETTINGS.items():
        if params.get(member) is not None:
            setattr(proxy, attribute, params[member])
    answer = copy.copy(proxy)
    answer.status = "modifying"
    return answer


def rename(backend: RDSBackend, proxy: DBProxy, new_name: str) -> None:
    backend.db_proxies[new_name] = backend.db_proxies.pop(proxy.db_proxy_name)
    proxy.endpoint = proxy.endpoint.replace(proxy.db_proxy_name, new_name, 1)
    proxy.db_proxy_name = new_name
    for group in proxy.proxy_target_groups.values():
        group.db_proxy_name = new_name


def install() -> None:
    DBProxy.default_auth_scheme = "NONE"
    create = RDSResponse.create_db_proxy

    def create_db_proxy(self: RDSResponse) -> ActionResult:
        if self.params.get("DefaultAuthScheme") == "IAM_AUTH":
            self.params.setdefault("Auth", [])
        result = create(self)
        scheme = self.params.get("DefaultAuthScheme")
        if scheme:
            self.backend.db_proxies[self.params["DBProxyName"]].default_auth_scheme = scheme
        return result

    def modify(self: RDSResponse) -> ActionResult:
        return ActionResult({"DBProxy": modify_db_proxy(self.backend, self.params["DBProxyName"], self.params)})

    RDSResponse.create_db_proxy = create_db_proxy
    RDSResponse.modify_db_proxy = modify
