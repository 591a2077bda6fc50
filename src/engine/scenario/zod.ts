import { z } from 'zod';

/**
 * zod, configured once before any schema is made: `jitless` stops zod compiling object parsers
 * with `new Function` and skips its probe for it, which a strict Content-Security-Policy
 * (`script-src 'self'`, see index.html) reports as a violation on every page load. The schemas
 * capture the setting when they are created, so every module defining one imports z from here.
 */
z.config({ jitless: true });

export { z };
