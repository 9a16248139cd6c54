import { describe, expect, it } from 'vitest';
import { factsFromRecords } from '../../src/facts/index.js';
import { fromPy } from '../../src/template/values.js';

/**
 * The devices facts from the sysfs files as fleet_read_files sends them (`path:line`), for a
 * disk with a partition held by a device-mapper volume: this machine's disks have neither, so
 * the parity test cannot see these paths. The values are what the shell-read records gave
 * before the files were read by grep.
 */
const FILES = [
  '/sys/block/sda/device/vendor:ATA     ',
  '/sys/block/sda/device/model:QEMU HARDDISK   ',
  '/sys/block/sda/removable:0',
  '/sys/block/sda/queue/rotational:1',
  '/sys/block/sda/queue/scheduler:[mq-deadline] none',
  '/sys/block/sda/size:2000',
  '/sys/block/sda/queue/logical_block_size:512',
  '/sys/block/sda/sda1/start:2048',
  '/sys/block/sda/sda1/size:1000',
  '/sys/block/sda/sda1/holders/dm-0/dm/name:vg-root',
].join('\n');

const RECORDS = new Map<string, string[]>([
  ['files', [FILES]],
  ['devices.linux', ['1']],
  ['devices.sys_block', ['1']],
  ['devices.disk', ['sda']],
  ['devices.partition.sda', ['sda1']],
  ['devices.holders.sda', ['']],
  ['devices.holders.sda1', ['dm-0\n']],
]);

describe('devices from the files read', () => {
  it("a disk's and its partition's sysfs files, and a holder by its dm name", () => {
    const facts = fromPy(factsFromRecords(RECORDS, ['devices'])) as { devices: Record<string, Record<string, unknown>> };
    const sda = facts.devices.sda!;
    expect(sda).toMatchObject({ vendor: 'ATA', model: 'QEMU HARDDISK', removable: '0', rotational: '1', scheduler_mode: 'mq-deadline', sectors: '2000', sectorsize: '512', size: '1000.00 KB', holders: [] });
    expect(sda.partitions).toEqual({ sda1: { links: { ids: [], uuids: [], labels: [], masters: [] }, start: '2048', sectors: '1000', sectorsize: 512, size: '500.00 KB', uuid: null, holders: ['vg-root'] } });
  });
});
