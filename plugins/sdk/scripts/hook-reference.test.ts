import { readFileSync } from 'node:fs';
import { eventNames, filterNames } from '../src/catalogue';
import { hookReference, readmeFile, withReference } from './hook-reference';

describe('the hook reference in plugins/README.md', () => {
  it('is up to date with the EventMap and FilterMap (run `npm run plugins:readme` when this fails)', () => {
    const readme = readFileSync(readmeFile, 'utf8');
    expect(withReference(readme)).toBe(readme);
  });

  it('lists every event and filter', () => {
    const reference = hookReference();
    for (const name of [...eventNames, ...filterNames]) expect(reference).toContain(`| \`${name}\` |`);
  });
});
