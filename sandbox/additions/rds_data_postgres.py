"""The RDS Data API run on a real PostgreSQL, and the HTTP endpoint of Aurora PostgreSQL clusters.

https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_ExecuteStatement.html
https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_BeginTransaction.html
https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_CommitTransaction.html
https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_RollbackTransaction.html
https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_Field.html
https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_SqlParameter.html
https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_ColumnMetadata.html
https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.troubleshooting.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_EnableHttpEndpoint.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DisableHttpEndpoint.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html

moto answers ExecuteStatement with canned results and has no transactions. Here the SQL runs on
the PostgreSQL that a test registered for the cluster, as the user of the request's secret (read
from moto's own Secrets Manager), in the request's database (else the secret's dbname, else its
username, as the Data API does), with the named parameters (`:name`) bound by the driver:
  POST /moto-api/static/rds-data/postgres
  {"resourceArn": <cluster ARN>, "host": "127.0.0.1", "port": 5432, "tls": {"caFile": <path>} | false}
beside moto's own /moto-api/static/rds-data/statement-results; a reset forgets it and ends open
transactions. TLS verifies the server's chain against caFile (the name is the loopback's, not the
certificate's, so the host name is not checked). A cluster with no PostgreSQL registered answers
DatabaseNotFoundException (404, "The DB cluster doesn't have a DB instance" in the API reference:
no database behind it), saying so.

Answers in AWS's shapes: `records` (a list of Field per row; only for statements that return rows),
`columnMetadata` with includeResultMetadata, `numberOfRecordsUpdated` (rows a DML statement changed,
else 0), `formattedRecords` with formatRecordsAs JSON. Errors as the current Data API gives them:
the database's refusal is DatabaseErrorException "<severity>: <message>; SQLState: <code>" (AWS
marks BadRequestException deprecated; the wording is the one users quote, aws/aws-cli#8577); a
cluster whose HTTP endpoint is off, or no cluster at all, HttpEndpointNotEnabledException "HttpEndpoint
is not enabled for resource <ARN>"; a secret that is missing SecretsErrorException, one without
username and password InvalidSecretException; an unknown or ended transaction
TransactionNotFoundException. A statement that fails inside a transaction ends it, as the
troubleshooting guide says ("The transaction was terminated because of an error from a previous call").

The HTTP endpoint: moto keeps EnableHttpEndpoint only for Serverless v1 engine versions. AWS also
turns it on at CreateDBCluster for Aurora PostgreSQL Serverless v2 and provisioned clusters
(engine mode provisioned) and with the EnableHttpEndpoint/DisableHttpEndpoint operations, which
moto lacks; ModifyDBCluster's EnableHttpEndpoint "applies only to Aurora Serverless v1 DB clusters",
so for the others it changes nothing (moto turned the endpoint off).
"""

import base64
import datetime
import json
import secrets
import ssl
import threading
from typing import Any

import pg8000.native
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.moto_api._internal import urls as moto_api_urls
from moto.rds.exceptions import RDSClientError
from moto.rds.models import DBCluster, RDSBackend, rds_backends
from moto.rds.responses import RDSResponse
from moto.rdsdata import urls as rdsdata_urls
from moto.rdsdata.models import RDSDataServiceBackend, rdsdata_backends
from moto.rdsdata.responses import RDSDataServiceResponse
from moto.secretsmanager.models import secretsmanager_backends

REGISTER_PATH = "{0}/moto-api/static/rds-data/postgres"

# java.sql.Types of the PostgreSQL types the Data API reports in columnMetadata.type.
JDBC_TYPES = {
    "bool": -7, "int2": 5, "int4": 4, "int8": -5, "oid": -5, "float4": 7, "float8": 8, "numeric": 2,
    "text": 12, "varchar": 12, "name": 12, "bpchar": 1, "bytea": -2, "date": 91, "time": 92,
    "timestamp": 93, "timestamptz": 93, "uuid": 1111, "json": 1111, "jsonb": 1111,
}
# Type names of the OIDs a catalog query returns; others are looked up once per connection.
TYPE_NAMES = {
    16: "bool", 17: "bytea", 19: "name", 20: "int8", 21: "int2", 23: "int4", 25: "text", 26: "oid",
    114: "json", 700: "float4", 701: "float8", 1042: "bpchar", 1043: "varchar", 1082: "date",
    1083: "time", 1114: "timestamp", 1184: "timestamptz", 1700: "numeric", 2950: "uuid", 3802: "jsonb",
}


class DataApiError(JsonRESTError):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(code, message)
        self.code = status


def http_endpoint_not_enabled(resource_arn: str) -> DataApiError:
    return DataApiError("HttpEndpointNotEnabledException", f"HttpEndpoint is not enabled for resource {resource_arn}")


def database_error(err: Exception) -> DataApiError:
    fields = err.args[0] if err.args and isinstance(err.args[0], dict) else {}
    if not fields:
        return DataApiError("DatabaseErrorException", str(err))
    return DataApiError("DatabaseErrorException", f"{fields.get('S', 'ERROR')}: {fields.get('M', '')}; SQLState: {fields.get('C', '')}")


class Transaction:
    def __init__(self, resource_arn: str, connection: pg8000.native.Connection):
        self.resource_arn = resource_arn
        self.connection = connection
        self.lock = threading.Lock()


def _state(backend: RDSDataServiceBackend) -> dict[str, Any]:
    """What this addition keeps on moto's backend, so that a reset forgets it."""
    return backend.__dict__.setdefault("_sandbox_postgres", {"databases": {}, "transactions": {}})


def _find_cluster(resource_arn: str) -> DBCluster | None:
    parts = resource_arn.split(":")
    if len(parts) < 7:
        return None
    account, region = parts[4], parts[3]
    if account not in rds_backends or region not in rds_backends[account]:
        return None
    return next((c for c in rds_backends[account][region].clusters.values() if c.db_cluster_arn == resource_arn), None)


def _credentials(backend: RDSDataServiceBackend, secret_arn: str) -> dict[str, Any]:
    manager = secretsmanager_backends[backend.account_id][backend.region_name]
    try:
        value = manager.get_secret_value(secret_arn, None, None)
    except Exception as err:  # noqa: BLE001  (any refusal of Secrets Manager is the Data API's SecretsErrorException)
        raise DataApiError("SecretsErrorException", f"Error fetching secret {secret_arn} : {getattr(err, 'message', err)}") from err
    try:
        secret = json.loads(value.get("SecretString") or "")
    except ValueError:
        secret = None
    if not isinstance(secret, dict) or not secret.get("username") or not secret.get("password"):
        raise DataApiError("InvalidSecretException", "The secret must be a JSON object with username and password.")
    return secret


def _connect(backend: RDSDataServiceBackend, resource_arn: str, secret_arn: str, database: str | None) -> pg8000.native.Connection:
    cluster = _find_cluster(resource_arn)
    if cluster is None or not cluster.http_endpoint_enabled:
        raise http_endpoint_not_enabled(resource_arn)
    server = _state(backend)["databases"].get(resource_arn)
    if server is None:
        # No database behind the cluster: a refusal the SDK does not retry, naming what is missing.
        raise DataApiError(
            "DatabaseNotFoundException",
            f"sandbox: no PostgreSQL is registered for {resource_arn} (POST /moto-api/static/rds-data/postgres)",
            404,
        )
    secret = _credentials(backend, secret_arn)
    context = None
    if server.get("tls"):
        context = ssl.create_default_context(cafile=server["tls"]["caFile"])
        context.check_hostname = False
    try:
        return pg8000.native.Connection(
            user=secret["username"],
            password=secret["password"],
            host=server["host"],
            port=int(server["port"]),
            database=database or secret.get("dbname") or secret["username"],
            ssl_context=context,
            timeout=30,
        )
    except pg8000.native.DatabaseError as err:
        raise database_error(err) from err


def _parameters(parameters: list[dict[str, Any]]) -> dict[str, Any]:
    bound = {}
    for parameter in parameters or []:
        value = parameter.get("value") or {}
        if value.get("isNull"):
            bound[parameter["name"]] = None
        elif "blobValue" in value:
            blob = value["blobValue"]
            bound[parameter["name"]] = base64.b64decode(blob) if isinstance(blob, str) else blob
        else:
            known = [k for k in ("booleanValue", "longValue", "doubleValue", "stringValue") if k in value]
            if not known:
                raise DataApiError("BadRequestException", f"Parameter {parameter.get('name')} has no supported value")
            bound[parameter["name"]] = value[known[0]]
    return bound


def _text(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _field(value: Any) -> dict[str, Any]:
    if value is None:
        return {"isNull": True}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"longValue": value}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"blobValue": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, list):
        return {"arrayValue": _array(value)}
    # numeric, uuid, dates and times, json and the rest: as text, as the Data API returns them.
    return {"stringValue": _text(value)}


def _array(values: list[Any]) -> dict[str, Any]:
    if any(isinstance(v, list) for v in values):
        return {"arrayValues": [_array(v) for v in values]}
    if all(isinstance(v, bool) for v in values):
        return {"booleanValues": values}
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return {"longValues": values}
    if all(isinstance(v, float) for v in values):
        return {"doubleValues": values}
    return {"stringValues": [_text(v) for v in values]}


def _type_name(oid: int) -> str:
    return TYPE_NAMES.get(oid, "unknown")


def _metadata(columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": c["name"],
            "label": c["name"],
            "typeName": _type_name(c["type_oid"]),
            "type": JDBC_TYPES.get(_type_name(c["type_oid"]), 1111),
            "nullable": 2,
            "isSigned": _type_name(c["type_oid"]) in ("int2", "int4", "int8", "float4", "float8", "numeric"),
            "isAutoIncrement": False,
            "isCaseSensitive": _type_name(c["type_oid"]) in ("text", "varchar", "name", "bpchar"),
            "isCurrency": False,
            "precision": 0,
            "scale": 0,
            "schemaName": "",
            "tableName": "",
            "arrayBaseColumnType": 0,
        }
        for c in columns
    ]


def _run(connection: pg8000.native.Connection, sql: str, params: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    try:
        rows = connection.run(sql, **params)
    except pg8000.native.DatabaseError as err:
        raise database_error(err) from err
    answer: dict[str, Any] = {"numberOfRecordsUpdated": 0, "generatedFields": []}
    columns = connection.columns
    if columns is None:
        # A statement without rows: DML reports what it changed, anything else 0.
        answer["numberOfRecordsUpdated"] = max(connection.row_count, 0)
        return answer
    if body.get("includeResultMetadata"):
        answer["columnMetadata"] = _metadata(columns)
    if body.get("formatRecordsAs") == "JSON":
        names = [c["name"] for c in columns]
        answer["formattedRecords"] = json.dumps([dict(zip(names, row)) for row in rows or []], default=_text)
    else:
        answer["records"] = [[_field(v) for v in row] for row in rows or []]
    return answer


def _transaction(backend: RDSDataServiceBackend, transaction_id: str, resource_arn: str) -> Transaction:
    transaction = _state(backend)["transactions"].get(transaction_id)
    if transaction is None or transaction.resource_arn != resource_arn:
        raise DataApiError("TransactionNotFoundException", f"Transaction {transaction_id} is not found", 404)
    return transaction


def _end(backend: RDSDataServiceBackend, transaction_id: str, transaction: Transaction) -> None:
    _state(backend)["transactions"].pop(transaction_id, None)
    try:
        transaction.connection.close()
    except Exception:  # noqa: BLE001  (a connection the server already closed is ended too)
        pass


def execute_statement(self: RDSDataServiceResponse) -> str:
    body = json.loads(self.body or "{}")
    backend = self.rdsdata_backend
    params = _parameters(body.get("parameters"))
    transaction_id = body.get("transactionId")
    if transaction_id:
        transaction = _transaction(backend, transaction_id, body["resourceArn"])
        with transaction.lock:
            try:
                return json.dumps(_run(transaction.connection, body["sql"], params, body))
            except DataApiError:
                _end(backend, transaction_id, transaction)
                raise
    connection = _connect(backend, body["resourceArn"], body["secretArn"], body.get("database"))
    try:
        return json.dumps(_run(connection, body["sql"], params, body))
    finally:
        connection.close()


def begin_transaction(self: RDSDataServiceResponse) -> str:
    body = json.loads(self.body or "{}")
    backend = self.rdsdata_backend
    connection = _connect(backend, body["resourceArn"], body["secretArn"], body.get("database"))
    connection.run("BEGIN")
    transaction_id = secrets.token_urlsafe(144)[:192]
    _state(backend)["transactions"][transaction_id] = Transaction(body["resourceArn"], connection)
    return json.dumps({"transactionId": transaction_id})


def _finish(self: RDSDataServiceResponse, sql: str, status: str) -> str:
    body = json.loads(self.body or "{}")
    backend = self.rdsdata_backend
    transaction = _transaction(backend, body["transactionId"], body["resourceArn"])
    with transaction.lock:
        try:
            transaction.connection.run(sql)
        except pg8000.native.DatabaseError as err:
            raise database_error(err) from err
        finally:
            _end(backend, body["transactionId"], transaction)
    return json.dumps({"transactionStatus": status})


def commit_transaction(self: RDSDataServiceResponse) -> str:
    return _finish(self, "COMMIT", "Transaction Committed")


def rollback_transaction(self: RDSDataServiceResponse) -> str:
    return _finish(self, "ROLLBACK", "Rollback Complete")


def register(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    """POST /moto-api/static/rds-data/postgres: which PostgreSQL stands for which cluster."""
    body = json.loads(request.data or b"{}")
    arn = body["resourceArn"]
    parts = arn.split(":")
    backend = rdsdata_backends[parts[4]][parts[3]]
    _state(backend)["databases"][arn] = {"host": body.get("host", "127.0.0.1"), "port": body["port"], "tls": body.get("tls") or False}
    return 201, {}, ""


def _cluster_by_arn(backend: RDSBackend, arn: str) -> DBCluster:
    cluster = next((c for c in backend.clusters.values() if c.db_cluster_arn == arn), None)
    if cluster is None:
        raise RDSClientError("ResourceNotFoundFault", f"DBCluster {arn} not found.")
    return cluster


def _http_endpoint(enabled: bool):
    def action(self: RDSResponse) -> ActionResult:
        cluster = _cluster_by_arn(self.backend, self.params["ResourceArn"])
        cluster._enable_http_endpoint = enabled
        return ActionResult({"ResourceArn": cluster.db_cluster_arn, "HttpEndpointEnabled": enabled})

    return action


def _is_data_api_v2(cluster: DBCluster) -> bool:
    """Aurora PostgreSQL clusters with Serverless v2 or provisioned instances (engine mode provisioned)."""
    return cluster.engine == "aurora-postgresql" and (cluster.engine_mode or "provisioned") == "provisioned"


def install() -> None:
    setter = DBCluster.enable_http_endpoint.fset

    def enable_http_endpoint(cluster: DBCluster, value: bool | None) -> None:
        setter(cluster, value)
        if value is not None and _is_data_api_v2(cluster):
            cluster._enable_http_endpoint = bool(value)

    DBCluster.enable_http_endpoint = DBCluster.enable_http_endpoint.setter(enable_http_endpoint)

    modify = RDSBackend.modify_db_cluster

    def modify_db_cluster(backend: RDSBackend, kwargs: dict[str, Any]) -> DBCluster:
        cluster = backend.clusters.get(kwargs.get("db_cluster_identifier"))
        if cluster is not None and _is_data_api_v2(cluster):
            kwargs.pop("enable_http_endpoint", None)
        return modify(backend, kwargs)

    RDSBackend.modify_db_cluster = modify_db_cluster
    RDSResponse.enable_http_endpoint = _http_endpoint(True)
    RDSResponse.disable_http_endpoint = _http_endpoint(False)

    RDSDataServiceResponse.execute_statement = execute_statement
    RDSDataServiceResponse.begin_transaction = begin_transaction
    RDSDataServiceResponse.commit_transaction = commit_transaction
    RDSDataServiceResponse.rollback_transaction = rollback_transaction
    for operation in ("BeginTransaction", "CommitTransaction", "RollbackTransaction"):
        rdsdata_urls.url_paths[f"{{0}}/{operation}$"] = rdsdata_urls.response.dispatch

    reset = RDSDataServiceBackend.reset

    def reset_ending_transactions(backend: RDSDataServiceBackend) -> None:
        for transaction_id, transaction in list(_state(backend)["transactions"].items()):
            _end(backend, transaction_id, transaction)
        reset(backend)

    RDSDataServiceBackend.reset = reset_ending_transactions
    moto_api_urls.url_paths[REGISTER_PATH] = register
