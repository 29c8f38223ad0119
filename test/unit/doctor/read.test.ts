import { IAMServiceException, NoSuchEntityException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { isNotFoundRead, read, requiring } from '../../../src/doctor/read.js';

describe('one read of the discovery pass', () => {
  it('gives the value of a read that succeeds', async () => {
    expect(await read('reading x', async () => 42)).toEqual({ ok: true, value: 42 });
  });

  it('keeps a failure as what was being read, the AWS message and its code', async () => {
    const denied = new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'not authorized' });
    const r = await read('reading IAM role x', () => Promise.reject(denied));
    expect(r).toEqual({ ok: false, error: 'reading IAM role x: not authorized (AccessDenied)', code: 'AccessDenied' });
    expect(isNotFoundRead(r)).toBe(false);
  });

  it('keeps a refused call as the permission it lacked: the action and resource the call named', async () => {
    const denied = new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'not authorized' });
    const r = await read('reading IAM role x', () => requiring('iam:GetRole', 'arn:aws:iam::1:role/x', () => Promise.reject(denied)));
    expect(r).toEqual({ ok: false, error: 'AccessDenied on iam:GetRole for arn:aws:iam::1:role/x', code: 'AccessDenied', denied: { action: 'iam:GetRole', resource: 'arn:aws:iam::1:role/x' } });
  });

  it('names the action AWS\'s message names when the call named none', async () => {
    const denied = new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'User: u is not authorized to perform: iam:GetRole on resource: x' });
    const r = await read('reading IAM role x', () => Promise.reject(denied));
    expect(r).toEqual({ ok: false, error: 'AccessDenied on iam:GetRole (reading IAM role x)', code: 'AccessDenied', denied: { action: 'iam:GetRole' } });
  });

  it('lets a failure that is no refusal through requiring as it was', async () => {
    const gone = new NoSuchEntityException({ message: 'The role with name x cannot be found.', $metadata: {} });
    const r = await read('reading IAM role x', () => requiring('iam:GetRole', 'arn:aws:iam::1:role/x', () => Promise.reject(gone)));
    expect(isNotFoundRead(r)).toBe(true);
    expect(r).not.toHaveProperty('denied');
  });

  it('marks a failure where AWS says the resource does not exist', async () => {
    const gone = new NoSuchEntityException({ message: 'The role with name x cannot be found.', $metadata: {} });
    const r = await read('reading IAM role x', () => Promise.reject(gone));
    expect(isNotFoundRead(r)).toBe(true);
  });
});
