import { FleetError } from '../errors.js';

/** A remote file could not be read or written (missing, permission denied, disk full…). */
export class RemoteFileError extends FleetError {
  static from(host: string, action: 'read' | 'write', remotePath: string, result: { rc: number; stderr: Buffer }): RemoteFileError {
    const detail = result.stderr.toString('utf8').trim() || `exit status ${result.rc}`;
    return new RemoteFileError(`${host}: cannot ${action} ${remotePath}: ${detail}`);
  }
}
