"""SimulatePrincipalPolicy, judged by moto's own IAM policy engine (moto answers HTTP 500 without this).

https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

The policies are those of PolicySourceArn (a role's inline and attached policies; a user's, and
those of its groups; a group's) and PolicyInputList. Whether a statement matches the action, the
resource and the ContextEntries is decided by moto's IAMPolicyStatement (the matcher behind its
access control, INITIAL_NO_AUTH_ACTION_COUNT): its wildcard matcher for Action/NotAction and
Resource/NotResource, its condition evaluator for Condition. Its is_action_permitted is not used as
a whole: written for trust policies, it answers Deny for an Allow whose condition does not hold and
Allow for any statement without Resource. The decision follows AWS's evaluation logic: a matching
Deny wins (explicitDeny), else a matching Allow (allowed), else implicitDeny.

The answer has AWS's current shape: one EvaluationResult per action, its decision the most
restrictive across ResourceArns (default "*"), one ResourceSpecificResult per given resource, and
MatchedStatements naming the policy (SourcePolicyId: its name, or PolicyInputList.N; SourcePolicyType:
role, user or group for inline policies, aws-managed or user-managed for attached ones).

Not modelled: permissions boundaries, ResourcePolicy, CallerArn, ResourceOwner,
ResourceHandlingOption, SCPs, paging (MaxItems, Marker), statement positions, EvalResourceName's ARN
template ("*" here). Where moto's engine differs from AWS: only StringEquals conditions are
evaluated (other operators count as met); a condition key absent from ContextEntries counts as met
(AWS: not met; it is listed in MissingContextValues either way); only the first value of a
ContextEntry is used; condition keys match case-sensitively; "?" is not a wildcard. Action names
match case-insensitively, as on AWS.
"""

import json

from moto.core.responses import ActionResult
from moto.iam.access_control import IAMPolicyStatement
from moto.iam.exceptions import InvalidInput
from moto.iam.responses import IamResponse

RESTRICTIVENESS = ["allowed", "implicitDeny", "explicitDeny"]


def _document(policy) -> dict:
    """The JSON of an inline policy (a string) or of an attached one's default version."""
    if isinstance(policy, str):
        return json.loads(policy)
    text = next(v.document for v in policy.versions if v.is_default)
    return json.loads(text) if isinstance(text, str) else text


def _attached(policies) -> list[tuple[str, str, dict]]:
    return [
        (p.name, "aws-managed" if ":iam::aws:policy/" in p.arn else "user-managed", _document(p))
        for p in policies.values()
    ]


def _inline(policies, kind: str) -> list[tuple[str, str, dict]]:
    return [(name, kind, _document(text)) for name, text in policies.items()]


def _principal_policies(backend, arn: str) -> list[tuple[str, str, dict]]:
    """(SourcePolicyId, SourcePolicyType, document) of every policy of the user, group or role."""
    resource = arn.split(":", 5)[-1] if (arn or "").count(":") >= 5 else ""
    kind, _, path = resource.partition("/")
    name = path.rsplit("/", 1)[-1]
    if kind == "role":
        role = backend.get_role_by_arn(arn)
        return _inline(role.policies, "role") + _attached(role.managed_policies)
    if kind == "group":
        group = backend.get_group(name)
        return _inline(group.policies, "group") + _attached(group.managed_policies)
    if kind == "user":
        user = backend.get_user(name)
        policies = _inline(user.policies, "user") + _attached(user.managed_policies)
        for group in backend.get_groups_for_user(name):
            policies += _inline(group.policies, "group") + _attached(group.managed_policies)
        return policies
    raise InvalidInput(f"PolicySourceArn {arn} is not the ARN of an IAM user, group or role.")


def _statements(document: dict) -> list[dict]:
    statement = document.get("Statement", [])
    return statement if isinstance(statement, list) else [statement]


def _lowercase_actions(statement: dict) -> dict:
    """Action names are case-insensitive on AWS; moto's matcher is not."""
    copy = dict(statement)
    for key in ("Action", "NotAction"):
        if key in copy:
            values = copy[key]
            copy[key] = [v.lower() for v in values] if isinstance(values, list) else values.lower()
    return copy


def _matches(statement: dict, element: str, value: str) -> bool:
    """Action/Resource must match; NotAction/NotResource must not. Decided by moto's matcher."""
    judge = IAMPolicyStatement(statement)
    if f"Not{element}" in statement:
        return not judge._check_element_matches(f"Not{element}", value)
    return element in statement and judge._check_element_matches(element, value)


def _evaluate(policies, action: str, resource: str, context: dict[str, str]) -> dict:
    """The decision on one action and resource, with the statements that made it."""
    denies, allows, missing = [], [], set()
    for source_id, source_type, document in policies:
        for raw in _statements(document):
            statement = _lowercase_actions(raw)
            if not (_matches(statement, "Action", action.lower()) and _matches(statement, "Resource", resource)):
                continue
            for keys in (statement.get("Condition") or {}).values():
                missing.update(key for key in keys if key not in context)
            if not IAMPolicyStatement(statement)._check_conditions(context):
                continue
            matched = {"SourcePolicyId": source_id}
            if source_type:
                matched["SourcePolicyType"] = source_type
            (denies if statement.get("Effect") == "Deny" else allows).append(matched)
    decision = "explicitDeny" if denies else "allowed" if allows else "implicitDeny"
    return {"decision": decision, "matched": denies or allows, "missing": sorted(missing)}


def _union(lists) -> list:
    seen = []
    for item in (i for items in lists for i in items):
        if item not in seen:
            seen.append(item)
    return seen


def _result(policies, action: str, resources: list[str] | None, context: dict[str, str]) -> dict:
    per_resource = {r: _evaluate(policies, action, r, context) for r in (resources or ["*"])}
    decision = max((e["decision"] for e in per_resource.values()), key=RESTRICTIVENESS.index)
    result = {
        "EvalActionName": action,
        "EvalResourceName": "*",
        "EvalDecision": decision,
        "MatchedStatements": _union(e["matched"] for e in per_resource.values() if e["decision"] == decision),
        "MissingContextValues": _union(e["missing"] for e in per_resource.values()),
    }
    if resources:
        result["ResourceSpecificResults"] = [
            {
                "EvalResourceName": r,
                "EvalResourceDecision": e["decision"],
                "MatchedStatements": e["matched"],
                "MissingContextValues": e["missing"],
            }
            for r, e in per_resource.items()
        ]
    return result


def simulate_principal_policy(self: IamResponse) -> ActionResult:
    policies = _principal_policies(self.backend, self._get_param("PolicySourceArn"))
    for index, text in enumerate(self._get_param("PolicyInputList") or [], start=1):
        policies.append((f"PolicyInputList.{index}", "", json.loads(text)))
    context = {
        entry["ContextKeyName"]: entry["ContextKeyValues"][0]
        for entry in self._get_param("ContextEntries") or []
        if entry.get("ContextKeyValues")
    }
    resources = self._get_param("ResourceArns") or None
    results = [_result(policies, action, resources, context) for action in self._get_param("ActionNames") or []]
    return ActionResult({"EvaluationResults": results, "IsTruncated": False})


def install() -> None:
    IamResponse.simulate_principal_policy = simulate_principal_policy
