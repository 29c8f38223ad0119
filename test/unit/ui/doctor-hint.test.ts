import { describe, expect, it } from 'vitest';
import { doctorHint } from '../../../src/ui/doctor-hint.js';

describe('the hint that sends a failure of up to the doctor', () => {
  it('names the doctor command for the stack and the one check that explains it', () => {
    expect(doctorHint('orders-dev', ['iam.role-trust'])).toBe(
      'Run `rdsproxy-setup doctor --name orders-dev`: check iam.role-trust explains this.',
    );
  });

  it('names every check when several explain it', () => {
    expect(doctorHint('orders-dev', ['sg.proxy-to-cluster', 'cluster.supported'])).toBe(
      'Run `rdsproxy-setup doctor --name orders-dev`: checks sg.proxy-to-cluster, cluster.supported explain this.',
    );
  });

  it('sends a failure no single check explains to the whole doctor report', () => {
    expect(doctorHint('orders-dev', [])).toBe('Run `rdsproxy-setup doctor --name orders-dev` to see what is wrong.');
  });
});
