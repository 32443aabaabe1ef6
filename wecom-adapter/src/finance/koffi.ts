// koffi ships a CommonJS build beside its ES module, but declares its types for the ES module only.
import type * as Koffi from 'koffi' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const koffi = require('koffi') as typeof Koffi;
