import { expect, test } from 'vitest';
import { validateArgs } from '../../src/modules/argspec.js';
import { findFilesModule } from '../../src/modules/files/find.js';
import { statModule } from '../../src/modules/files/stat.js';
import { toPy, type PyDict } from '../../src/template/values.js';

// The messages ansible-playbook 2.14 printed for these tasks (`stat: {path: /x, bogus: 1}`…).
test.each([
  [
    statModule,
    { path: '/x', bogus: 1 },
    'Unsupported parameters for (stat) module: bogus. Supported parameters include: checksum_algorithm, follow, get_attributes, get_checksum, get_md5, get_mime, path (attr, attributes, checksum, checksum_algo, dest, mime, mime-type, mime_type, name).',
  ],
  [
    findFilesModule,
    { paths: '/x', checksum_algorithm: 'md5' },
    'Unsupported parameters for (find) module: checksum_algorithm. Supported parameters include: age, age_stamp, contains, depth, excludes, file_type, follow, get_checksum, hidden, paths, patterns, read_whole_file, recurse, size, use_regex (exclude, name, path, pattern).',
  ],
  [findFilesModule, { paths: '/x', file_type: 'socket' }, 'value of file_type must be one of: any, directory, file, link, got: socket'],
  [findFilesModule, {}, 'missing required arguments: paths'],
])('case %# is refused as Ansible words it', (def, args, message) => {
  expect(() => validateArgs(def.spec, toPy(args) as PyDict, def.name)).toThrow(message);
});
