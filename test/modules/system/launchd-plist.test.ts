import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadPlist, PlistError } from '../../../src/modules/system/launchd-plist.js';
import { dumpXmlPlist } from '../../../src/modules/system/launchd-plist-write.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n';

// XML written by hand (other tools' layouts, odd but valid values) and binary plists written
// by plistlib itself: each must load and dump to the bytes plistlib.dumps(plistlib.loads(x)) gives.
const XML_INPUTS = [
  `${HEAD}<plist version="1.0">\n<dict>\n  <key>Label</key>\n  <string>com.example.x</string>\n  <key>ProgramArguments</key>\n  <array><string>/bin/sh</string><string>-c</string><string>echo "a &amp; b" &lt;in &gt;out</string></array>\n  <key>RunAtLoad</key><true/>\n  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>\n</dict>\n</plist>\n`,
  `<?xml version="1.0"?><plist version="1.0"><dict><key>Z</key><integer>0x1F</integer><key>Y</key><integer> 17 </integer><key>a</key><integer>-42</integer><key>b</key><real>1e16</real><key>c</key><real>.5</real><key>d</key><date>2024-02-29T23:59:58Z</date><key>e</key><data>\n  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\n  OTo7PD0+P0BBQkNERUZHSElKS0xNTk9Q\n  </data><key>f</key><array/><key>g</key><dict/><key>h</key><string><![CDATA[<raw> & stuff]]></string><key>\u00e9</key><string>caf\u00e9 \u{1F600}</string><key>big</key><integer>18446744073709551615</integer><!-- a comment --><key>i</key><real>3</real><key>j</key><date>2001-01-01Z</date></dict></plist>`,
  `<plist version="1.0"><array><string>a\r\nb\rc</string><string>&#x41;&#66;</string><integer>1_000</integer><array><array><data>AAAA</data></array></array></array></plist>`,
];

const ORACLE = `
import base64, json, plistlib, sys
out = []
for item in json.load(sys.stdin):
    data = base64.b64decode(item)
    try:
        out.append({'ok': base64.b64encode(plistlib.dumps(plistlib.loads(data))).decode()})
    except Exception as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`;

const BINARY_MAKER = `
import base64, datetime, plistlib
value = {'Label': 'com.example.bin', 'RunAtLoad': False, 'KeepAlive': True, 'n': -7, 'big': 2**40, 'f': 0.1,
         'd': datetime.datetime(2020, 5, 17, 8, 30, 1), 'b': b'\\x00\\xff' * 40, 'u': 'unicode \\u2603', 'l': [1, 'two', [3.5]],
         'long': 'x' * 300}
print(base64.b64encode(plistlib.dumps(value, fmt=plistlib.FMT_BINARY)).decode())
`;

function oracle(inputs: Buffer[]): ({ ok: string } | { error: string })[] {
  const json = JSON.stringify(inputs.map((input) => input.toString('base64')));
  return JSON.parse(execFileSync('python3', ['-c', ORACLE], { input: json, encoding: 'utf8' })) as ({ ok: string } | { error: string })[];
}

function fleetRoundTrip(input: Buffer): { ok: string } | { error: string } {
  try {
    return { ok: dumpXmlPlist(loadPlist(input)).toString('base64') };
  } catch (error) {
    if (error instanceof PlistError) return { error: error.message };
    throw error;
  }
}

describe('plist reading and writing match Python plistlib', () => {
  it('XML and binary plists load and dump to the same bytes', () => {
    const binary = Buffer.from(execFileSync('python3', ['-c', BINARY_MAKER], { encoding: 'utf8' }).trim(), 'base64');
    const inputs = [...XML_INPUTS.map((text) => Buffer.from(text, 'utf8')), binary];
    const expected = oracle(inputs);
    for (const [index, input] of inputs.entries()) {
      expect(expected[index]).toHaveProperty('ok');
      expect(fleetRoundTrip(input), `input ${index}`).toEqual(expected[index]);
    }
  });

  it('refuses what plistlib refuses, with its messages', () => {
    const inputs = [
      Buffer.from('not a plist at all'),
      Buffer.from(`${HEAD}<plist><dict><key>a</key></dict></plist>`),
      Buffer.from('<plist><dict><key>a</key><string>x\u0001</string></dict></plist>'),
      Buffer.from('<plist><dict><key>a</key><integer>12a</integer></dict></plist>'),
      Buffer.from('<plist><dict><key>a</key><integer> 0x1F</integer></dict></plist>'),
      Buffer.from('<plist><array><integer>1</integer></array><key>k</key></plist>'),
      Buffer.from('<plist><dict><key>a</key><key>b</key></dict></plist>'),
      Buffer.from('<!DOCTYPE plist [<!ENTITY x "y">]><plist><string>&x;</string></plist>'),
      Buffer.from('bplist00 truncated'),
    ];
    const expected = oracle(inputs);
    expect(inputs.map(fleetRoundTrip)).toEqual(expected);
  });
});
