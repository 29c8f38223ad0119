"""Refusals in the protocol of the service that refuses.

With access control on (INITIAL_NO_AUTH_ACTION_COUNT), moto answers every refused request with an
XML ErrorResponse, whatever the service. Services on the JSON protocols (Secrets Manager, KMS,
CloudWatch Logs, Lambda) answer with a JSON body whose __type is the error code, and name the
refusal AccessDeniedException, as their common errors list it:
https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html
https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html
https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/CommonErrors.html
https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
"""

from moto.core.exceptions import JsonRESTError
from moto.core.responses import BaseResponse
from moto.core.utils import get_service_model
from werkzeug.exceptions import HTTPException

JSON_PROTOCOLS = ("json", "rest-json")

# The JSON services' names for the codes moto's access control raises.
JSON_CODES = {
    "AccessDenied": "AccessDeniedException",
    "InvalidClientTokenId": "UnrecognizedClientException",
    "SignatureDoesNotMatch": "InvalidSignatureException",
}


def install() -> None:
    authorize = BaseResponse._authenticate_and_authorize_normal_action

    def authorize_in_protocol(self: BaseResponse, resource: str = "*") -> None:
        try:
            authorize(self, resource)
        except HTTPException as refusal:
            code = getattr(refusal, "error_type", None)
            if code is None or get_service_model(self.boto3_service_name).protocol not in JSON_PROTOCOLS:
                raise
            answer = JsonRESTError(JSON_CODES.get(code, code), getattr(refusal, "message", ""))
            answer.code = 400
            raise answer from refusal

    BaseResponse._authenticate_and_authorize_normal_action = authorize_in_protocol
