"""A security group a function leaves (an update that takes it out of its VPC, or gives it other
groups) stays in use while Lambda releases the function's network interfaces.

AWS: "Lambda [...] deletes the network interface [...] when it isn't used by any function. [...]
It can take some time for Lambda to delete the network interfaces"; until then DeleteSecurityGroup
answers DependencyViolation.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
moto creates no network interfaces and frees the groups at once.

The delay is ec2_security_group_in_use's SANDBOX_ENI_RELEASE_SECONDS (default 0), which that
addition also applies to a deleted function's groups.
"""

from moto.awslambda.models import LambdaBackend

from additions.ec2_security_group_in_use import _hold_after_deletion


def _groups(function) -> set[str]:
    return set((function._vpc_config or {}).get("SecurityGroupIds") or [])


def install() -> None:
    original = LambdaBackend.update_function_configuration

    def update_function_configuration(self: LambdaBackend, function_name: str, qualifier: str, body):
        function = self.get_function(function_name, qualifier)
        before = _groups(function)
        result = original(self, function_name, qualifier, body)
        _hold_after_deletion(function.account_id, function.region, sorted(before - _groups(function)))
        return result

    LambdaBackend.update_function_configuration = update_function_configuration
