import { describe, expect, it } from 'vitest';
import {
  clientRecords,
  envTagValue,
  indexEntries,
  isStackRule,
  otherVpcAccessHolders,
  parseEnvTagValue,
  ruleDescription,
  tagValueProblem,
} from '../../../src/grants/records.js';

describe('the record of an environment variable', () => {
  it('is "+" and the value set, for a variable grant added', () => {
    expect(envTagValue({ variable: 'PGPORT', set: '5432', kind: 'added' })).toBe('+5432');
  });

  it('is "=", the value set, "=" and the prior value, for one grant replaced', () => {
    expect(envTagValue({ variable: 'PGSSLMODE', set: 'verify-full', kind: 'replaced', prior: 'require' })).toBe('=verify-full=require');
  });

  it('reads back what it wrote, a prior value holding "=" included', () => {
    const replaced = { variable: 'PGHOST', set: 'p.proxy-x.us-east-1.rds.amazonaws.com', kind: 'replaced', prior: 'a=b=c' } as const;
    expect(parseEnvTagValue('PGHOST', envTagValue(replaced))).toEqual(replaced);
    expect(parseEnvTagValue('PGUSER', '+app')).toEqual({ variable: 'PGUSER', set: 'app', kind: 'added' });
  });

  it('is no record when the value is neither form', () => {
    expect(parseEnvTagValue('PGUSER', 'app')).toBeUndefined();
  });

  it('cannot hold a prior value with characters Lambda and IAM tags refuse, nor one too long', () => {
    expect(tagValueProblem('=verify-full=require')).toBeUndefined();
    expect(tagValueProblem('=x=a,b')).toContain('_.:/=+-@');
    expect(tagValueProblem(`=x=${'a'.repeat(260)}`)).toContain('256');
  });
});

describe('the records of a client', () => {
  const tags = {
    'rdsproxy-setup:client:demo': 'app',
    'rdsproxy-setup:client:demo:env:PGHOST': '+p.example',
    'rdsproxy-setup:client:demo:env:PGUSER': '=app=someone',
    'rdsproxy-setup:client:demo:vpc': 'attached',
    'rdsproxy-setup:client:demo2': 'other',
    'rdsproxy-setup:client:demo2:env:PGPORT': '+5432',
    team: 'payments',
  };

  it('are the tags of its stack only, not those of a stack whose name starts the same', () => {
    const records = clientRecords('demo', tags);

    expect(records.user).toBe('app');
    expect(records.env.map((e) => e.variable)).toEqual(['PGHOST', 'PGUSER']);
    expect(records.vpcAttached).toBe(true);
    expect(records.keys).toEqual([
      'rdsproxy-setup:client:demo',
      'rdsproxy-setup:client:demo:env:PGHOST',
      'rdsproxy-setup:client:demo:env:PGUSER',
      'rdsproxy-setup:client:demo:vpc',
    ]);
  });

  it('are empty for a function or role that is no client of the stack', () => {
    expect(clientRecords('orders', tags)).toEqual({ user: undefined, env: [], vpcAttached: false, vpcAccessAttached: false, keys: [] });
  });
});

describe('the index of a stack\'s clients', () => {
  it('lists functions and roles from the proxy group\'s tags, and nothing else', () => {
    const entries = indexEntries({
      'rdsproxy-setup:client:role:ecs-task': 'app',
      'rdsproxy-setup:client:lambda:api': 'app',
      'rdsproxy-setup:stack': 'demo',
      Name: 'demo-proxy-sg',
    });

    expect(entries).toEqual([
      { client: { kind: 'lambda', name: 'api' }, user: 'app' },
      { client: { kind: 'role', name: 'ecs-task' }, user: 'app' },
    ]);
  });
});

describe('the stacks relying on a role\'s AWSLambdaVPCAccessExecutionRole attachment', () => {
  it('are the other stacks whose vpc-access record says attached', () => {
    const tags = {
      'rdsproxy-setup:client:demo:vpc-access': 'attached',
      'rdsproxy-setup:client:orders:vpc-access': 'attached',
      'rdsproxy-setup:client:billing:vpc-access': 'no',
    };
    expect(otherVpcAccessHolders('demo', tags)).toEqual(['orders']);
  });
});

describe('a rule grant added', () => {
  it('is known by its description, for any client of the stack and no other stack', () => {
    const description = ruleDescription('demo', { kind: 'lambda', name: 'api' });
    expect(description).toBe('rdsproxy-setup:demo client lambda:api');
    expect(isStackRule('demo', description)).toBe(true);
    expect(isStackRule('demo', ruleDescription('demo', { kind: 'role', name: 'task' }))).toBe(true);
    expect(isStackRule('demo', 'rdsproxy-setup:demo2 client lambda:api')).toBe(false);
    expect(isStackRule('demo', 'rdsproxy-setup demo: PostgreSQL')).toBe(false);
    expect(isStackRule('demo', undefined)).toBe(false);
  });
});
