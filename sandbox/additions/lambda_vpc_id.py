"""A function's VpcConfig.VpcId is the VPC of its subnets (moto answers a fixed "vpc-123abc").

https://docs.aws.amazon.com/lambda/latest/api/API_VpcConfigResponse.html
Seen in CreateFunction's answer, GetFunction, GetFunctionConfiguration and UpdateFunctionConfiguration.
Without a known subnet (none given) there is no VPC to name: the VpcId is empty.
"""

from moto.awslambda.models import LambdaFunction
from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models import ec2_backends


def _vpc_of_subnets(function: LambdaFunction, subnet_ids: list[str]) -> str:
    ec2 = ec2_backends[function.account_id][function.region]
    for subnet_id in subnet_ids:
        try:
            return ec2.get_subnet(subnet_id).vpc_id
        except InvalidSubnetIdError:
            continue
    return ""


def install() -> None:
    def vpc_config(self: LambdaFunction):
        if not self._vpc_config:
            return None
        config = dict(self._vpc_config)
        config["VpcId"] = _vpc_of_subnets(self, list(config.get("SubnetIds") or []))
        return config

    LambdaFunction.vpc_config = property(vpc_config)
