import { resolve } from 'node:path';
import { scaffoldPlugin } from './plugin-scaffold';

/** `npm run plugin:new -- <name>`: creates a working plugin with a passing test under plugins/<name>. */
const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: npm run plugin:new -- <name>\n');
  process.exit(2);
}
try {
  const written = scaffoldPlugin(resolve(__dirname, '../..'), name);
  process.stdout.write(`created:\n${written.map((f) => `  ${f}`).join('\n')}\nnext: npx jest plugins/${name}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
