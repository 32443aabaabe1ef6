/** How the generic plugin page lays out what a plugin route answers (plain TypeScript, no browser). */
import { cellText, viewResultOf } from '../src/views/plugin-page/view-result';

describe('plugin page: a route reply as a table', () => {
  it('shows a list of records as a table with every field that occurs as a column', () => {
    expect(viewResultOf([{ sku: 'AC-1', available: 3 }, { sku: 'AC-2', reserved: 1 }])).toEqual({
      kind: 'table',
      columns: ['sku', 'available', 'reserved'],
      rows: [{ sku: 'AC-1', available: 3 }, { sku: 'AC-2', reserved: 1 }],
    });
  });

  it('finds the list inside a paged reply under items, rows or data', () => {
    expect(viewResultOf({ items: [{ id: 1 }], total: 1 })).toMatchObject({ kind: 'table', columns: ['id'], rows: [{ id: 1 }] });
    expect(viewResultOf({ rows: [{ id: 2 }] })).toMatchObject({ kind: 'table', rows: [{ id: 2 }] });
  });

  it('shows a single record as field and value rows, and a list of plain values in one column', () => {
    expect(viewResultOf({ sku: 'AC-1', warehouse: 'WH', available: 48 })).toEqual({
      kind: 'record',
      rows: [
        { field: 'sku', value: 'AC-1' },
        { field: 'warehouse', value: 'WH' },
        { field: 'available', value: 48 },
      ],
    });
    expect(viewResultOf(['a', 'b'])).toEqual({ kind: 'table', columns: ['value'], rows: [{ value: 'a' }, { value: 'b' }] });
  });

  it('falls back to the raw JSON for text and numbers, and writes nested values compactly', () => {
    expect(viewResultOf('ok')).toEqual({ kind: 'json', value: 'ok' });
    expect(cellText({ a: [1] })).toBe('{"a":[1]}');
    expect(cellText(null)).toBe('—');
    expect(cellText(0)).toBe('0');
  });
});
