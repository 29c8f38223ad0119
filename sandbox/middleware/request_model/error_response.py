"""A 400 refusal in the error format of the request's protocol, as the SDKs parse it.

The shapes botocore's parsers (botocore/parsers.py) and the JavaScript SDK read: query
`<ErrorResponse><Error><Code>`; EC2 `<Response><Errors><Error>`
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html); JSON and
REST-JSON `{"__type", "message"}`, REST-JSON also naming the code in x-amzn-ErrorType.
"""

import json
import uuid
from xml.sax.saxutils import escape


def error_response(protocol, xml_namespace, code, message):
    """(status, headers, body bytes)."""
    request_id = str(uuid.uuid4())
    if protocol == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{code}</Code><Message>{escape(message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        return 400, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body.encode()
    if protocol == "query":
        namespace = f' xmlns="{xml_namespace}"' if xml_namespace else ""
        body = (
            f"<ErrorResponse{namespace}><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return 400, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body.encode()
    content_type = "application/x-amz-json-1.1" if protocol == "json" else "application/json"
    headers = [("Content-Type", content_type), ("x-amzn-RequestId", request_id), ("x-amzn-ErrorType", code)]
    return 400, headers, json.dumps({"__type": code, "message": message}).encode()
