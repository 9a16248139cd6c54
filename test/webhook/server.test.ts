import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK_PATH, MAX_BODY_BYTES } from '../../src/webhook/server.js';
import { giteaSignature } from '../../src/webhook/signature.js';
import { commitId, deliver, newDeliveryId, pullRequestPayload, pushPayload, REPO, SECRET, send, startHarness, type Harness } from './support.js';

const harnesses: Harness[] = [];

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const started = await startHarness(options);
  harnesses.push(started);
  return started;
}

afterEach(async () => {
  for (const each of harnesses.splice(0)) await each.webhook.close();
});

const json = (value: unknown) => JSON.stringify(value);

describe('fleet webhook serve', () => {
  it('deploys a signed push to an allowed branch, once, and reports it on /status', async () => {
    const h = await harness();
    const reply = await deliver(h.port, { body: json(pushPayload(commitId(1))), id: 'first' });
    expect(reply.status).toBe(202);
    expect(JSON.parse(reply.body)).toMatchObject({ status: 'deploying', commit: commitId(1) });
    await h.webhook.queue.idle();
    // The script saw what to deploy, and not the webhook secret.
    expect(h.deploys()).toEqual([`${commitId(1)} first unset`]);
    const status = JSON.parse((await send(h.port, 'GET', '/status')).body);
    expect(status.running).toBeNull();
    expect(status.deploys).toHaveLength(1);
    expect(status.deploys[0]).toMatchObject({ repo: REPO, branch: 'main', commit: commitId(1), status: 'succeeded', exitCode: 0, deliveries: ['first'] });
    expect(status.deploys[0].outputTail).toContain(`deploying ${commitId(1)}`);
    expect(status.deliveries[0]).toMatchObject({ id: 'first', event: 'push', outcome: 'deploy #1' });
  });

  it('deploys the merge commit of a merged pull request and ignores one closed unmerged', async () => {
    const h = await harness();
    const unmerged = await deliver(h.port, { event: 'pull_request', body: json(pullRequestPayload(commitId(2), false)) });
    expect(unmerged.status).toBe(200);
    expect(JSON.parse(unmerged.body)).toMatchObject({ status: 'ignored', reason: 'pull request closed, not merged' });
    const opened = await deliver(h.port, { event: 'pull_request', body: json(pullRequestPayload(commitId(2), false, 'opened')) });
    expect(JSON.parse(opened.body).status).toBe('ignored');
    const merged = await deliver(h.port, { event: 'pull_request', body: json(pullRequestPayload(commitId(3), true)) });
    expect(merged.status).toBe(202);
    await h.webhook.queue.idle();
    expect(h.deploys().map((line) => line.split(' ')[0])).toEqual([commitId(3)]);
  });

  it('refuses unsigned, forged, malformed and oversized deliveries and deploys nothing', async () => {
    const h = await harness();
    const body = json(pushPayload(commitId(4)));
    const unsigned = await deliver(h.port, { body, signature: null });
    expect(unsigned.status).toBe(401);
    const forged = await deliver(h.port, { body, signature: giteaSignature('not-the-secret', Buffer.from(body)) });
    expect(forged.status).toBe(401);
    const garbage = await deliver(h.port, { body, signature: 'zz' });
    expect(garbage.status).toBe(401);
    // Signed for a different body: the signature covers the raw bytes.
    const tampered = await deliver(h.port, { body: body.replace(commitId(4), commitId(5)), signature: giteaSignature(SECRET, Buffer.from(body)) });
    expect(tampered.status).toBe(401);
    expect((await deliver(h.port, { body: '{"ref": ' })).status).toBe(400);
    expect((await deliver(h.port, { body: json({ ref: 'refs/heads/main', repository: { full_name: REPO } }) })).status).toBe(400);
    expect((await deliver(h.port, { body: json({ ...pushPayload(commitId(4)), after: 'HEAD' }) })).status).toBe(400);
    const noId = await send(h.port, 'POST', HOOK_PATH, { 'x-gitea-event': 'push', 'x-gitea-signature': giteaSignature(SECRET, Buffer.from(body)) }, Buffer.from(body));
    expect(noId.status).toBe(400);
    const big = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const oversized = await deliver(h.port, { body: big });
    expect(oversized.status).toBe(413);
    await h.webhook.queue.idle();
    expect(h.deploys()).toEqual([]);
    expect(JSON.parse((await send(h.port, 'GET', '/status')).body).deploys).toEqual([]);
  });

  it('stops reading a streamed body (no Content-Length) once it passes 1 MiB', async () => {
    const h = await harness();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: HOOK_PATH, headers: { 'x-gitea-event': 'push', 'x-gitea-delivery': newDeliveryId(), 'transfer-encoding': 'chunked' } }, (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const pump = () => {
        while (!answered && sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    // The client was answered long before it could send 100 MiB.
    expect(sent).toBeLessThan(50 * 1024 * 1024);
    expect(sent).toBeGreaterThan(MAX_BODY_BYTES);
    expect(h.deploys()).toEqual([]);
  });

  it('ignores wrong repositories, branches, events, tags and deleted branches with a 2xx', async () => {
    const h = await harness();
    const cases = [
      { body: json(pushPayload(commitId(6), { repo: 'someone/else' })), reason: 'repository someone/else is not allowed' },
      { body: json(pushPayload(commitId(6), { branch: 'feature' })), reason: 'branch feature is not allowed' },
      { body: json({ ...pushPayload(commitId(6)), ref: 'refs/tags/v1' }), reason: 'refs/tags/v1 is not a branch' },
      { body: json(pushPayload('0'.repeat(40))), reason: 'refs/heads/main was deleted' },
      { event: 'issues', body: json({ action: 'opened' }), reason: 'event issues is not allowed' },
    ];
    for (const each of cases) {
      const reply = await deliver(h.port, each);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ status: 'ignored', reason: each.reason });
    }
    await h.webhook.queue.idle();
    expect(h.deploys()).toEqual([]);
  });

  it('does not deploy a replayed delivery twice, even after a restart', async () => {
    const h = await harness();
    const body = json(pushPayload(commitId(7)));
    expect((await deliver(h.port, { body, id: 'replayed' })).status).toBe(202);
    await h.webhook.queue.idle();
    const replay = await deliver(h.port, { body, id: 'replayed' });
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ status: 'ignored', reason: 'delivery already handled' });
    const again = await startHarness({ config: { database: `${h.dir}/webhook.sqlite` } });
    harnesses.push(again);
    expect(JSON.parse((await deliver(again.port, { body, id: 'replayed' })).body).reason).toBe('delivery already handled');
    await h.webhook.queue.idle();
    await again.webhook.queue.idle();
    expect(h.deploys()).toHaveLength(1);
    expect(again.deploys()).toEqual([]);
  });

  it('runs one deploy at a time: 20 deliveries in one second cause at most two deploys, the last commit wins', async () => {
    const h = await harness({ sleepSeconds: 2 });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, index) => new Promise((resolve) => setTimeout(resolve, index * 40)).then(() => deliver(h.port, { body: json(pushPayload(commitId(100 + index))), id: `burst-${index}` }))),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(20).fill(202));
    const during = JSON.parse((await send(h.port, 'GET', '/status')).body);
    expect(during.running.request.commit).toBe(commitId(100));
    expect(during.pending.deliveries).toHaveLength(19);
    await h.webhook.queue.idle();
    const deploys = h.deploys();
    expect(deploys).toHaveLength(2);
    expect(deploys[0]).toBe(`${commitId(100)} burst-0 unset`);
    expect(deploys[1]?.split(' ')[0]).toBe(commitId(119));
    expect(deploys[1]?.split(' ')[1]?.split(',')).toHaveLength(19);
  });

  it('drops a follow-up for the commit that was just deployed (push and merged PR of one merge)', async () => {
    const h = await harness({ sleepSeconds: 0.5 });
    expect((await deliver(h.port, { body: json(pushPayload(commitId(8))) })).status).toBe(202);
    expect(JSON.parse((await deliver(h.port, { event: 'pull_request', body: json(pullRequestPayload(commitId(8), true)) })).body).status).toBe('queued');
    await h.webhook.queue.idle();
    expect(h.deploys()).toHaveLength(1);
  });

  it('records a failed deploy with its exit code and output, and still deploys the next delivery', async () => {
    const h = await harness({ failing: true });
    await deliver(h.port, { body: json(pushPayload(commitId(9))) });
    await h.webhook.queue.idle();
    await deliver(h.port, { body: json(pushPayload(commitId(10))) });
    await h.webhook.queue.idle();
    const status = JSON.parse((await send(h.port, 'GET', '/status')).body);
    expect(status.deploys.map((deploy: { status: string; exitCode: number }) => [deploy.status, deploy.exitCode])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    expect(status.deploys[0].outputTail).toContain('converge failed');
  });

  it('answers /healthz, refuses other methods and paths, and never logs the secret or a signature', async () => {
    const h = await harness();
    expect(await send(h.port, 'GET', '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect((await send(h.port, 'GET', HOOK_PATH)).status).toBe(405);
    expect((await send(h.port, 'GET', '/nothing')).status).toBe(404);
    const body = json(pushPayload(commitId(11)));
    const signature = giteaSignature(SECRET, Buffer.from(body));
    await deliver(h.port, { body, signature });
    await deliver(h.port, { body, signature: giteaSignature('forged', Buffer.from(body)) });
    await h.webhook.queue.idle();
    const log = h.logs.join('\n');
    expect(log).toContain('deploy #1: succeeded');
    expect(log).toContain('bad signature');
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(signature);
    expect(log).not.toContain(giteaSignature('forged', Buffer.from(body)));
  });

  it('accepts unsigned deliveries only when require_signature is false', async () => {
    const h = await harness({ config: { require_signature: false } });
    const body = json(pushPayload(commitId(12)));
    expect((await deliver(h.port, { body, signature: null })).status).toBe(202);
    // A signature that is sent must still be right.
    expect((await deliver(h.port, { body, signature: giteaSignature('forged', Buffer.from(body)) })).status).toBe(401);
    await h.webhook.queue.idle();
    expect(h.deploys()).toHaveLength(1);
  });
});
