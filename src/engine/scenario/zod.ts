import * as z from 'zod/mini';

/**
 * zod's small build (zod/mini: functions instead of methods, so a bundle keeps only the parsers
 * and checks the schemas use; its messages are ours, schema.ts errorMap and each field's own),
 * configured once before any schema is made: `jitless` stops zod compiling object parsers
 * with `new Function` and skips its probe for it, which a strict Content-Security-Policy
 * (`script-src 'self'`, see index.html) reports as a violation on every page load. The schemas
 * capture the setting when they are created, so every module defining one imports z from here.
 */
z.config({ jitless: true });

export { z };
