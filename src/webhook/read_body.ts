import type { IncomingMessage } from 'node:http';

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Reads a request body of at most `limit` bytes. A body announced or found to be larger is
 * refused as soon as that is known: the rest is not kept (the caller answers 413 and
 * closes the connection with closeUnreadConnection).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
      if (result.kind === 'too-large') request.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'ok', body: Buffer.concat(chunks) });
    const onError = () => finish({ kind: 'aborted' });
    const onClose = () => {
      if (!request.complete) finish({ kind: 'aborted' });
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

/** How long a refused client may go on sending before its connection is dropped. */
const LINGER_MS = 2000;

/**
 * Closes the connection of a request whose body was left unread, after its answer went out.
 * Destroying the socket at once closes it over unread bytes, so the kernel resets the
 * connection and the client can lose the answer (the 413) it had not read yet. Instead the
 * answer is followed by a FIN, what still arrives is read and dropped, and the socket is
 * destroyed when the client closes or after LINGER_MS.
 */
export function closeUnreadConnection(request: IncomingMessage): void {
  const socket = request.socket;
  socket.end();
  request.resume();
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
