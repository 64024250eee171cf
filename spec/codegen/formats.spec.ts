/**
 * The string formats checked client-side (`lib/k8s/formats.ts`), on kube-openapi's own test values
 * (`pkg/validation/strfmt/default_test.go`) and on the cases where kubex-rx accepts more than the current server
 * does (values older servers stored), never less.
 */
import { describe, expect, it } from '@jest/globals';
import { INTEGER_FORMATS, normalizeFormat, STRING_FORMATS } from '../../lib/k8s/formats.js';

const TABLE: Array<[format: string, valid: string[], invalid: string[]]> = [
  [
    'date-time',
    // Split at every `t`, strfmt reads only the first two parts: what follows a second `t` is not looked at.
    ['2026-06-15T04:15:58Z', '2026-06-15T04:15:58.123Z', '2026-06-15t04:15:58z', '2026-06-15T04:15:58+02:00', '2024-02-29T23:59:59.999999999-07:00', '2026-06-15T04:15:58ZtAnything', '2026-06-15T04:15:58,5Z'],
    ['', '2026-06-15', '2026-06-15T04:15:58', '2026-06-15 04:15:58Z', '2026-06-15T04:15:58Zx', '2026-06-15T04:15:58\n5Z', '2026-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2026-06-15T24:00:00Z', '2026-06-15T23:60:00Z', '2026-06-15T04:15:58+0200', 'T04:15:58Z'],
  ],
  ['date', ['2026-06-15', '2024-02-29', '2000-02-29'], ['2026-6-15', '2026-06-31', '1900-02-29', '2026-06-15T00:00:00Z', '20260615']],
  // The empty string is accepted (the encoding of no bytes), though govalidator's expression alone rejects it.
  ['byte', ['', 'aGVsbG8=', 'aGVsbG8h', 'aGk=', 'VGhpcyBpcyBh+/8='], ['aGVsbG8', 'ZWxpemFiZXRocG9zZXk', 'aGVsbG8h!', 'aGV sbG8=', 'aGVsbG8=a']],
  ['uuid', ['0f0e6b3a-7d7c-4f5e-9a3b-2c1d0e9f8a7b', '0F0E6B3A-7D7C-4F5E-9A3B-2C1D0E9F8A7B', '0f0e6b3a7d7c4f5e9a3b2c1d0e9f8a7b'], ['not-a-uuid', '0f0e6b3a-7d7c-4f5e-9a3b-2c1d0e9f8a7', '{0f0e6b3a-7d7c-4f5e-9a3b-2c1d0e9f8a7b}']],
  ['uuid4', ['0f0e6b3a-7d7c-4f5e-9a3b-2c1d0e9f8a7b'], ['0f0e6b3a-7d7c-3f5e-9a3b-2c1d0e9f8a7b', '0f0e6b3a-7d7c-4f5e-7a3b-2c1d0e9f8a7b']],
  [
    'hostname',
    ['somewhere.com', '888.com', 'a.b.c.d.e.com', '1wwworg.example.com', 'xn--bcher-kva.example.com', 'www.example.ôlà', '☁→❄→☃→☀→☺→☂→☹→✝.ws', 'ex$ample', 'localhost', 'x', 'x-y', 'ex=ample.com', '<foo>', 'www.example-hyphenated.org', 'www.詹姆斯.london'],
    // kube-openapi's pattern lets a one-label name have a dash only after its first character: `node-1` fails there too.
    ['somewhere.com!', 'user@email.domain', '1.1.1.1', 'a'.repeat(256), `x.y.${'a'.repeat(64)}`, 'www.example-.org', '-www.example.org', 'www-', '-www', 'www.ex ample.org', '_www.example.org', 'a.b.c.d', 'x.', 'node-1'],
  ],
  // Leading zeros: rejected by Go >= 1.17, accepted by ParseIPSloppy (and kube-openapi's tests) for stored values.
  ['ipv4', ['127.0.0.1', '192.168.1.1', '192.168.1.01', '::ffff:10.0.0.1'], ['198.168.254.2.2', '256.0.0.1', '1.2.3', '::1', 'a.b.c.d', '1.2.3.4/8', '1.2.3.-4']],
  [
    'ipv6',
    ['::1', '::', '1::', 'fe80::1', '2001:db8:a0b:12f0::1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::ffff:10.0.0.1', '::1.2.3.4', 'FE80::ABCD', '1:2:3:4:5:6:7::'],
    ['', '127.0.0.1', '1:2:3:4:5:6:7:8:9', '1::2::3', ':::', '1:::2', '12345::1', 'fe80::1%eth0', '[::1]', ':1:2', '1:', '1::2:', '1:2:3:4:5:6:7:8::', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:1.2.3', '::g', '1.2.3.4::'],
  ],
  ['cidr', ['192.0.2.1/24', '192.0.02.1/24', '2001:db8:a0b:12f0::1/32', '0.0.0.0/0', '::/128'], ['198.168.254.2', '2001:db8:a0b:12f0::1', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/a', 'host/24']],
  ['mac', ['01:02:03:04:05:06', '01-02-03-04-05-06', '0102.0304.0506', '01:02:03:04:05:06:07:08', `00${':00'.repeat(19)}`], ['01:02:03:04:05', '01:02-03:04:05:06', '01:02:03:04:05:6', '0102.0304.050', '01:02:03:04:05:06:07']],
];

describe('STRING_FORMATS', () => {
  it.each(TABLE)('%s', (format, valid, invalid) => {
    const check = STRING_FORMATS[normalizeFormat(format)]!;
    expect(check).toBeDefined();
    expect(valid.filter((v) => !check(v))).toEqual([]);
    expect(invalid.filter((v) => check(v))).toEqual([]);
  });

  it('looks formats up as go-openapi does: without dashes', () => {
    expect(normalizeFormat('date-time')).toBe('datetime');
    expect(STRING_FORMATS['datetime']).toBe(STRING_FORMATS[normalizeFormat('date-time')]);
    for (const unchecked of ['email', 'uri', 'duration', 'quantity', 'k8s-short-name', 'password']) expect(STRING_FORMATS[normalizeFormat(unchecked)]).toBeUndefined();
  });
});

describe('INTEGER_FORMATS', () => {
  it('are the ranges of Go int32 and int64 (the latter as the nearest doubles)', () => {
    expect(INTEGER_FORMATS.int32).toEqual({ min: -2147483648, max: 2147483647 });
    expect(INTEGER_FORMATS.int64.max).toBe(Number('9223372036854775807'));
    expect(INTEGER_FORMATS.int64.min).toBe(Number('-9223372036854775808'));
  });
});
