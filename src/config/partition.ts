/**
 * The AWS partition a region belongs to, the second field of every ARN there: `aws`, `aws-cn`
 * (China) or `aws-us-gov` (GovCloud). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
