"""A function's configuration update takes time: LastUpdateStatus InProgress, and a second update
meanwhile refused with ResourceConflictException (HTTP 409).

AWS: "When you update a function, Lambda provisions an instance of the function and its supporting
resources. [...] LastUpdateStatus is InProgress [...] While the update is in progress, invocations
run on the previous code and configuration"; and "Lambda doesn't allow other operations that
modify the function while LastUpdateStatus is InProgress" (a conflicting call gets
ResourceConflictException: "The operation cannot be performed at this time. An update is in
progress for resource: <arn>").
https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html (Errors)
moto applies an update at once and always answers Successful.

SANDBOX_LAMBDA_UPDATE_SECONDS (default 0: moto's behaviour) keeps each update InProgress that long.
"""

import os
import time

from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction

SECONDS_VARIABLE = "SANDBOX_LAMBDA_UPDATE_SECONDS"


class UpdateInProgress(LambdaClientError):
    code = 409

    def __init__(self, arn: str) -> None:
        super().__init__(
            "ResourceConflictException",
            f"The operation cannot be performed at this time. An update is in progress for resource: {arn}",
        )


def _in_progress(function: LambdaFunction) -> bool:
    return function.__dict__.get("_sandbox_update_until", 0.0) > time.monotonic()


def install() -> None:
    original_configuration = LambdaFunction.get_configuration

    def get_configuration(self: LambdaFunction, on_create: bool = False):
        config = original_configuration(self, on_create)
        if not on_create and _in_progress(self):
            config["LastUpdateStatus"] = "InProgress"
        return config

    LambdaFunction.get_configuration = get_configuration

    original_update = LambdaBackend.update_function_configuration

    def update_function_configuration(self: LambdaBackend, function_name: str, qualifier: str, body):
        function = self.get_function(function_name, qualifier)
        if _in_progress(function):
            raise UpdateInProgress(function.function_arn)
        delay = float(os.environ.get(SECONDS_VARIABLE, "0"))
        function.__dict__["_sandbox_update_until"] = time.monotonic() + delay
        return original_update(self, function_name, qualifier, body)

    LambdaBackend.update_function_configuration = update_function_configuration
