import { PyDict, type PyValue } from '../template/values.js';
import { one, type FactFamily } from './family.js';

/** system/dns.py: /etc/resolv.conf's nameservers, domain, search, sortlist and options. */
export const dnsFacts: FactFamily = {
  name: 'dns',
  collector: 'dns',
  files: { resolv: '/etc/resolv.conf' },
  command: '',
  parse(output) {
    const dns = new PyDict();
    for (const line of one(output, 'resolv').trim().split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/)) {
      if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue;
      const [keyword, ...rest] = line.trim().split(/\s+/) as [string, ...string[]];
      if (keyword === 'nameserver') {
        if (!dns.has('nameservers')) dns.set('nameservers', []);
        (dns.get('nameservers') as string[]).push(...rest);
      } else if (keyword === 'domain') {
        if (rest.length > 0) dns.set('domain', rest[0] as string);
      } else if (keyword === 'search' || keyword === 'sortlist') {
        dns.set(keyword, rest);
      } else if (keyword === 'options') {
        const options = new PyDict();
        for (const option of rest) {
          const colon = option.indexOf(':');
          const value: PyValue = colon >= 0 && option.slice(colon + 1) !== '' ? option.slice(colon + 1) : true;
          options.set(colon >= 0 ? option.slice(0, colon) : option, value);
        }
        dns.set('options', options);
      }
    }
    return { dns };
  },
};
