import { describe, expect, it } from 'vitest';
import { scramVerifier } from '../../../src/users/scram.js';

describe('the SCRAM-SHA-256 verifier CREATE ROLE is given instead of the password', () => {
  it("is PostgreSQL's stored form of RFC 7677's example password and salt (StoredKey and ServerKey computed with Python's hashlib)", () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');

    expect(scramVerifier('pencil', salt)).toBe(
      'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=',
    );
  });

  it('holds no part of the password, and a new salt each time', () => {
    const password = 'kT9#vQ2!mZ8$wX4^bN6&cR1*dF3(gH5)';

    const [first, second] = [scramVerifier(password), scramVerifier(password)];

    expect(first).not.toContain(password.slice(0, 8));
    expect(first).not.toBe(second);
  });
});
