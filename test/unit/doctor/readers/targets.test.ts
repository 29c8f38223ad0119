import {
  DescribeDBProxyTargetsCommand,
  RDSClient,
  type DescribeDBProxyTargetsCommandInput,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { missing } from '../../../../src/doctor/read.js';
import { targetsReader } from '../../../../src/doctor/readers/targets.js';
import { healthySnapshot } from '../healthy-snapshot.js';
import { items, pagedAnswers, scope } from './scope.js';

const rds = mockClient(RDSClient);
afterEach(() => rds.reset());

const { proxy } = healthySnapshot();
const unreadProxy = missing<never>('reading RDS proxy orders-proxy: denied (AccessDenied)');

describe('reading the proxy\'s targets', () => {
  it('reads every page of target rows', async () => {
    const pages = pagedAnswers(
      [1, 2, 3].map((page) => ({ Targets: items(100, (i) => ({ Type: 'RDS_INSTANCE' as const, RdsResourceId: `db-${page}-${i}` })) })),
      (token) => ({ Marker: token }),
    );
    rds.on(DescribeDBProxyTargetsCommand).callsFake((input: DescribeDBProxyTargetsCommandInput) => pages.answer(input.Marker));
    const targets = await targetsReader.read(scope(), { proxy });
    expect(pages.asked).toEqual([undefined, 'page-2', 'page-3']);
    expect(targets.ok && targets.value).toHaveLength(300);
    expect(targets.ok && targets.value.at(-1)?.RdsResourceId).toBe('db-3-99');
  });

  it('reads nothing when the proxy could not be read', async () => {
    expect((await targetsReader.read(scope(), { proxy: unreadProxy })).ok).toBe(false);
    expect(rds.calls()).toHaveLength(0);
  });
});
