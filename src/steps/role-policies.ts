/** The IAM documents of the proxy's role (DESIGN.md section 1, step role). */

import { parseArn } from '../config/arns.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow';
  Principal?: { Service: string };
  Action: string | string[];
  Resource?: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** Only RDS (the proxy) may assume the role. */
export function proxyTrustPolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
}

/**
 * The key ARN kms:Decrypt may use. Without a customer key the secret uses the AWS-managed key,
 * whose ARN we do not know up front: "*" then, still narrowed by kms:ViaService. An alias cannot
 * stand in an IAM Resource for Decrypt either, so it gets "*" too; a bare key id is made into
 * an ARN in the secret's own account and region.
 */
export function decryptResource(secretArn: string, kmsKeyId: string | undefined): string {
  if (!kmsKeyId || kmsKeyId.includes('alias/')) return '*';
  if (kmsKeyId.startsWith('arn:')) return kmsKeyId;
  const secret = parseArn(secretArn);
  return `arn:${secret?.partition ?? 'aws'}:kms:${secret?.region ?? ''}:${secret?.account ?? ''}:key/${kmsKeyId}`;
}

/** Read that one secret, and decrypt only when Secrets Manager in this region asks. */
export function readSecretPolicy(region: string, secretArn: string, kmsKeyId?: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadStackSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretArn },
      {
        Sid: 'DecryptViaSecretsManager',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: decryptResource(secretArn, kmsKeyId),
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
      },
    ],
  };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/**
 * True when a document IAM returned says the same as the wanted one. IAM hands documents back
 * URL-encoded (some emulators do not) and may reorder keys, so keys are sorted before comparing.
 */
export function samePolicy(returned: string, wanted: PolicyDocument): boolean {
  const parsed = parseDocument(returned);
  return parsed !== undefined && JSON.stringify(canonical(parsed)) === JSON.stringify(canonical(wanted));
}

function parseDocument(text: string): unknown {
  for (const candidate of [() => text, () => decodeURIComponent(text)]) {
    try {
      return JSON.parse(candidate());
    } catch {
      // not this encoding: try the next
    }
  }
  return undefined;
}
