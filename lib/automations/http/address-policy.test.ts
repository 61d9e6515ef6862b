import { allowEntryProblem, checkDestination, compileAllowList, splitAllowList } from './address-policy';

describe('the allow list', () => {
  it('reads host names, *.suffix, addresses and CIDR ranges, separated by commas or spaces', () => {
    expect(splitAllowList(' crm.internal,*.corp.example  10.0.0.0/8,\nfd00::5 ')).toEqual([
      'crm.internal',
      '*.corp.example',
      '10.0.0.0/8',
      'fd00::5',
    ]);
    expect(allowEntryProblem('crm.internal')).toBeNull();
    expect(allowEntryProblem('*.corp.example')).toBeNull();
    expect(allowEntryProblem('10.0.0.0/8')).toBeNull();
    expect(allowEntryProblem('fd00::/8')).toBeNull();
    expect(allowEntryProblem('10.0.0.0/33')).toBe('"10.0.0.0/33" is not a valid CIDR range');
    expect(allowEntryProblem('http://x')).toMatch(/not a valid CIDR range/);
    expect(allowEntryProblem('bad host!')).toMatch(/not a host name, address or CIDR range/);
  });

  it('allows a listed name whatever it resolves to, and nothing else under or beside it', () => {
    const list = compileAllowList(['crm.internal', '*.corp.example']);
    expect(checkDestination(list, 'CRM.internal.', '10.0.0.5')).toBeNull();
    expect(checkDestination(list, 'api.corp.example', '10.0.0.6')).toBeNull();
    expect(checkDestination(list, 'a.b.corp.example', '10.0.0.6')).toBeNull();
    // The suffix form needs a label before it, and a look-alike name is not under it.
    expect(checkDestination(list, 'corp.example', '10.0.0.6')).toBe(
      'refused: 10.0.0.6 is a private address (corp.example resolves to it)',
    );
    expect(checkDestination(list, 'evilcorp.example', '10.0.0.6')).not.toBeNull();
    expect(checkDestination(list, 'crm.internal.evil.com', '10.0.0.5')).not.toBeNull();
  });

  it('allows listed addresses and ranges, an IPv4-mapped IPv6 address as the IPv4 address it maps', () => {
    const list = compileAllowList(['127.0.0.1', '10.20.0.0/16', 'fd00::/8']);
    expect(checkDestination(list, 'localhost', '127.0.0.1')).toBeNull();
    expect(checkDestination(list, 'localhost', '::ffff:127.0.0.1')).toBeNull();
    expect(checkDestination(list, 'svc', '10.20.3.4')).toBeNull();
    expect(checkDestination(list, 'svc', 'fd12::1')).toBeNull();
    expect(checkDestination(list, 'svc', '10.21.0.1')).toBe(
      'refused: 10.21.0.1 is a private address (svc resolves to it)',
    );
    expect(checkDestination(list, 'localhost', '127.0.0.2')).not.toBeNull();
    expect(checkDestination(list, 'localhost', '::1')).toBe(
      'refused: ::1 is a loopback address (localhost resolves to it)',
    );
  });

  it('refuses to compile an entry that is not valid', () => {
    expect(() => compileAllowList(['ok.example', '300.1.1.1/8'])).toThrow(/AUTOMATION_HTTP_ALLOWED_HOSTS/);
  });
});
