"""Limits AWS documents for request members whose botocore model states none.

A model carries min, max and pattern only where the service team wrote them into it; the API
reference documents more, and the service enforces it (a borrow timeout of 301 is refused
only after the proxy exists). Each limit names the structure shape and member it applies to
and the AWS page that documents it. The sandbox keeps its own list rather than reading the
CLI's table (src/config/aws-limits.ts): it is the independent judge of what the CLI sends.
Only limits that hold for every engine are here; engine-specific reserved words are not.
"""

from dataclasses import dataclass

RDS_API = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference"
EC2_API = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference"

# 1-63 letters, digits and hyphens; a letter first; no "--" and no trailing "-".
RDS_IDENTIFIER = r"[A-Za-z](?:-?[A-Za-z0-9])*"
RDS_IDENTIFIER_RULE = "letters, digits and hyphens, starting with a letter, with no two hyphens in a row and none at the end"


@dataclass(frozen=True)
class Limit:
    shape: str
    member: str
    source: str
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    rule: str | None = None


LIMITS = {
    "rds": [
        Limit("ConnectionPoolConfiguration", "ConnectionBorrowTimeout", f"{RDS_API}/API_ConnectionPoolConfiguration.html", minimum=0, maximum=300),
        Limit("ConnectionPoolConfiguration", "MaxConnectionsPercent", f"{RDS_API}/API_ConnectionPoolConfiguration.html", minimum=1, maximum=100),
        Limit("ConnectionPoolConfiguration", "MaxIdleConnectionsPercent", f"{RDS_API}/API_ConnectionPoolConfiguration.html", minimum=0, maximum=100),
        Limit("CreateDBProxyRequest", "IdleClientTimeout", f"{RDS_API}/API_DBProxy.html", minimum=1, maximum=28800),
        Limit("ModifyDBProxyRequest", "IdleClientTimeout", f"{RDS_API}/API_DBProxy.html", minimum=1, maximum=28800),
        Limit("CreateDBClusterMessage", "DBClusterIdentifier", f"{RDS_API}/API_CreateDBCluster.html", max_length=63, pattern=RDS_IDENTIFIER, rule=RDS_IDENTIFIER_RULE),
        Limit("CreateDBInstanceMessage", "DBInstanceIdentifier", f"{RDS_API}/API_CreateDBInstance.html", max_length=63, pattern=RDS_IDENTIFIER, rule=RDS_IDENTIFIER_RULE),
        Limit(
            "CreateDBClusterMessage", "MasterUsername", f"{RDS_API}/API_CreateDBCluster.html",
            max_length=16, pattern=r"[A-Za-z][A-Za-z0-9_]*", rule="letters, digits or underscores, starting with a letter",
        ),
        Limit("CreateDBClusterMessage", "DatabaseName", f"{RDS_API}/API_CreateDBCluster.html", max_length=64),
        Limit(
            "CreateDBSubnetGroupMessage", "DBSubnetGroupName", f"{RDS_API}/API_CreateDBSubnetGroup.html",
            max_length=255, pattern=r"(?!default$)[A-Za-z][A-Za-z0-9 ._-]*",
            rule='letters, digits, periods, underscores, spaces or hyphens, starting with a letter, and not "default"',
        ),
    ],
    "ec2": [
        Limit(
            "CreateSecurityGroupRequest", "GroupName", f"{EC2_API}/API_CreateSecurityGroup.html",
            max_length=255, pattern=r"(?!sg-)[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+",
            rule='a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with "sg-"',
        ),
    ],
}


def limits_for(service_name):
    """{(structure shape name, member name): Limit} for one service."""
    return {(limit.shape, limit.member): limit for limit in LIMITS.get(service_name, [])}
