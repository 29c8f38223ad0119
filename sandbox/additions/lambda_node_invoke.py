"""Invoke runs a Node.js function's handler with the local Node (moto runs functions only in Docker).

https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html

For a function whose Runtime is nodejs*, the function's zip is unzipped into a temporary
directory and lambda_node_runner.mjs calls the handler its Handler setting names with the event
and a context, in a process whose environment is the function's Variables, then Lambda's
reserved variables (the function's name, memory, region, log group, and the credentials of its
execution role, from the sandbox's STS). The answer is Lambda's: the handler's result as the
payload; on a throw, FunctionError "Unhandled" with errorType, errorMessage and trace; after the
function's Timeout, FunctionError "Unhandled" with "Task timed out after N.NN seconds". What the
handler logged goes to the log group /aws/lambda/<name>, and, with LogType Tail, its last 4 KB
to X-Amz-Log-Result. DryRun runs nothing.

The local Node runs every nodejs* runtime. SANDBOX_LAMBDA_EXTRA_CA_CERTS, when the sandbox has
it, becomes the functions' NODE_EXTRA_CA_CERTS (unless a function sets its own): a test CA
standing in for the public roots in Lambda's image.
"""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
import zipfile
from io import BytesIO
from typing import Any

from moto.awslambda.models import LambdaFunction
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lambda_node_runner.mjs")
# Lambda returns at most the last 4 KB of the log with LogType Tail.
LOG_TAIL_BYTES = 4096
# Beyond the function's own timeout, which the runner enforces, for a handler that blocks Node's event loop.
BACKSTOP_SECONDS = 10


def _role_credentials(function: LambdaFunction) -> dict[str, str]:
    sts = sts_backends[function.account_id][get_partition(function.region)]
    role = sts.assume_role(function.region, function.function_name, function.role, None, 3600, None)
    return {
        "AWS_ACCESS_KEY_ID": role.access_key_id,
        "AWS_SECRET_ACCESS_KEY": role.secret_access_key,
        "AWS_SESSION_TOKEN": role.session_token,
    }


def _environment(function: LambdaFunction, task_root: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "en_US.UTF-8", "TZ": ":UTC"}
    extra_ca = os.environ.get("SANDBOX_LAMBDA_EXTRA_CA_CERTS")
    if extra_ca:
        env["NODE_EXTRA_CA_CERTS"] = extra_ca
    env.update({k: str(v) for k, v in (function.environment_vars or {}).items()})
    env.update(
        {
            "LAMBDA_TASK_ROOT": task_root,
            "_HANDLER": function.handler,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.run_time}",
            "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": function.logs_group_name,
            "AWS_REGION": function.region,
            "AWS_DEFAULT_REGION": function.region,
            **_role_credentials(function),
        }
    )
    return env


def _timed_out(request_id: str, seconds: float) -> str:
    return json.dumps({"errorType": "Sandbox.Timedout", "errorMessage": f"RequestId: {request_id} Error: Task timed out after {seconds:.2f} seconds"})


def _run(function: LambdaFunction, event: bytes) -> tuple[str, str | None, str]:
    """The payload, the FunctionError (or None) and what the handler logged."""
    node = shutil.which("node")
    if not node:
        raise RuntimeError("The sandbox runs Node.js functions with the local node, and none is on PATH.")
    request_id = str(uuid.uuid4())
    timeout = float(function.timeout)
    with tempfile.TemporaryDirectory(prefix="sandbox-lambda-") as task_root:
        with zipfile.ZipFile(BytesIO(function.code_bytes)) as archive:
            archive.extractall(task_root)
        result_file = os.path.join(task_root, ".result.json")
        spec = {
            "taskRoot": task_root,
            "handler": function.handler,
            "timeoutSeconds": timeout,
            "resultFile": result_file,
            "requestId": request_id,
            "functionArn": function.function_arn,
        }
        try:
            done = subprocess.run(
                [node, RUNNER, json.dumps(spec)],
                input=event,
                capture_output=True,
                env=_environment(function, task_root),
                cwd=task_root,
                timeout=timeout + BACKSTOP_SECONDS,
            )
        except subprocess.TimeoutExpired as expired:
            logs = (expired.stdout or b"") + (expired.stderr or b"")
            return _timed_out(request_id, timeout), "Unhandled", logs.decode("utf-8", "replace")
        logs = (done.stdout + done.stderr).decode("utf-8", "replace")
        if not os.path.exists(result_file):
            error = {"errorType": "Runtime.ExitError", "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: exit status {done.returncode}"}
            return json.dumps(error), "Unhandled", logs
        with open(result_file, encoding="utf-8") as f:
            result = json.load(f)
        return result["payload"], result.get("functionError"), logs


def install() -> None:
    moto_invoke = LambdaFunction.invoke

    def invoke(self: LambdaFunction, body: Any, request_headers: Any, response_headers: Any) -> str | bytes:
        if not str(self.run_time or "").startswith("nodejs"):
            return moto_invoke(self, body, request_headers, response_headers)
        if request_headers.get("X-Amz-Invocation-Type") == "DryRun":
            return b""
        event = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        started = time.monotonic()
        payload, function_error, logs = _run(self, event or b"null")
        if function_error:
            response_headers["x-amz-function-error"] = function_error
        self.logs_backend.ensure_log_group(self.logs_group_name)
        duration = (time.monotonic() - started) * 1000
        self.save_logs(f"START Version: $LATEST\n{logs}END\nREPORT Duration: {duration:.2f} ms\n")
        tail = logs.encode("utf-8")[-LOG_TAIL_BYTES:]
        response_headers["x-amz-log-result"] = base64.b64encode(tail).decode("ascii")
        return payload.encode("utf-8")

    LambdaFunction.invoke = invoke
