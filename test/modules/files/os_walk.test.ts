import { describe, expect, it } from 'vitest';
import { osWalkContent } from '../../../src/modules/files/os-walk.js';

/**
 * file state=absent's path_content in os.walk's order, from find's depth-first listing. The
 * file fixtures cannot pin this for directories of several entries: their order is the
 * filesystem's (ext4 hashes names with a per-filesystem seed), so the order is checked here.
 */
describe('osWalkContent', () => {
  // find /r -mindepth 1, with /r holding a, b/ (b/c, b/d/ (b/d/e)), f/ (f/g) and h, read in that order.
  const found = [
    { path: '/r/a', isDir: false },
    { path: '/r/b', isDir: true },
    { path: '/r/b/c', isDir: false },
    { path: '/r/b/d', isDir: true },
    { path: '/r/b/d/e', isDir: false },
    { path: '/r/f', isDir: true },
    { path: '/r/f/g', isDir: false },
    { path: '/r/h', isDir: false },
  ];

  it("lists each directory's sub-directories, then its files, before walking into the first sub-directory", () => {
    expect(osWalkContent('/r', found)).toEqual({
      directories: ['/r/b', '/r/f', '/r/b/d'],
      files: ['/r/a', '/r/h', '/r/b/c', '/r/b/d/e', '/r/f/g'],
    });
  });

  it('takes a path given with a trailing slash as the directory itself', () => {
    expect(osWalkContent('/r/', found)).toEqual(osWalkContent('/r', found));
  });

  it('lists a link to a directory among the directories without walking into it', () => {
    expect(osWalkContent('/r', [{ path: '/r/l', isDir: true }, { path: '/r/x', isDir: false }])).toEqual({ directories: ['/r/l'], files: ['/r/x'] });
  });
});
