export type { Connection, ExecOptions, ExecResult, HostKeyChecking, SshTarget } from './types.js';
export { connectSsh } from './ssh.js';
export { connectLocal } from './local.js';
export { RemoteFileError } from './remote-file-error.js';
export { withProxyJump } from './proxy-jump.js';
