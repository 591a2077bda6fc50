import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeComponent, quote, QUOTE_MAX } from './guard.ts';

describe('decodeComponent', () => {
  it.each([
    ['%', '%'],
    ['%ZZ', '%ZZ'],
    ['%E0%A4%A', '%E0%A4%A'],
    ['example-2%', '%'],
    ['ok%ED%A0%80', '%ED%A0%80'],
  ])('reports %s as a problem quoting the bad escape', (raw, bad) => {
    const r = decodeComponent(raw, '#preset');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toMatch(/^#preset: /);
      expect(r.problem).toContain(`“${bad}`);
    }
  });

  it('decodes what decodeURIComponent decodes', () => {
    expect(decodeComponent('example%2D2%20%E2%9C%93', '#preset')).toEqual({ ok: true, value: 'example-2 ✓' });
  });

  it('never throws, and agrees with decodeURIComponent whenever that succeeds', () => {
    const escapes = fc.constantFrom('%', '%Z', '%E0', '%A4', '%41', '%ED%A0%80', '%F0%9F%98%80', 'a', '-');
    fc.assert(
      fc.property(fc.array(fc.oneof(escapes, fc.string()), { maxLength: 12 }), (parts) => {
        const raw = parts.join('');
        const r = decodeComponent(raw, '#x');
        let expected: string | null;
        try {
          expected = decodeURIComponent(raw);
        } catch {
          expected = null;
        }
        expect(r.ok ? r.value : null).toBe(expected);
      }),
    );
  });
});

describe('quote', () => {
  it('shortens a long value and says how long it was', () => {
    const q = quote('x'.repeat(10_000_000));
    expect(q.length).toBeLessThan(QUOTE_MAX + 40);
    expect(q).toContain('10,000,000 characters');
  });

  it('shows control characters as escapes', () => {
    expect(quote('a\u0007b\u001b[31m\u0000')).toBe('a\\u0007b\\u001b[31m\\u0000');
  });

  it('is bounded whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        expect(quote(s).length).toBeLessThanOrEqual(QUOTE_MAX * 6 + 40);
      }),
    );
  });
});
