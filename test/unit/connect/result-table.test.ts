import { describe, expect, it } from 'vitest';
import { resultTable } from '../../../src/connect/result-table.js';

describe('the result table', () => {
  it('aligns columns under their names and counts the rows', () => {
    const table = resultTable({
      columns: ['user', 'ssl'],
      rows: [
        { user: 'appadmin', ssl: true },
        { user: 'r', ssl: null },
      ],
    });

    expect(table.split('\n')).toEqual(['user     | ssl', '---------+-----', 'appadmin | true', 'r        | NULL', '(2 rows)']);
  });

  it('keeps each row on one line when a value has newlines', () => {
    const table = resultTable({ columns: ['plan'], rows: [{ plan: 'Seq Scan\n  Filter' }] });

    expect(table.split('\n')[2]).toBe('Seq Scan⏎  Filter');
  });

  it('reports a statement without columns by its row count', () => {
    expect(resultTable({ columns: [], rows: [] })).toBe('(0 rows)');
  });
});
