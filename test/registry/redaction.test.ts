import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { pushImage } from '../../src-main/engine/registry/push.js';
import { parseReference, redactUserinfo } from '../../src-shared/reference.js';
import { makeTestImage } from './fixtures/test-image.js';
import { startFaultProxy, type FaultProxy } from './servers/fault-proxy.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';

const HEX = 'b'.repeat(64);
/** Neither the user name nor the password may show up in any message. */
const SECRET = /bob|hunter/;

const messageOf = async (run: () => unknown): Promise<string> => {
  try {
    await run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a failure');
};

describe('logins written into references and URLs never come back in an error', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host);
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('redacts the login and keeps the rest, digests included', () => {
    expect(redactUserinfo('bob:hunter2@127.0.0.1:5000/x:y')).toBe('***@127.0.0.1:5000/x:y');
    expect(redactUserinfo('docker://bob:hunter2@127.0.0.1:5000/x:y')).toBe('docker://***@127.0.0.1:5000/x:y');
    expect(redactUserinfo('https://bob:hunter2@auth.example/token?account=a@b')).toBe('https://***@auth.example/token?account=a@b');
    expect(redactUserinfo(`bob:hun/ter2@host/x@sha256:${HEX}`)).toBe(`***@host/x@sha256:${HEX}`);
    expect(redactUserinfo(`host/x@sha256:${HEX}`)).toBe(`host/x@sha256:${HEX}`);
    expect(redactUserinfo('x@sha256:abc')).toBe('x@sha256:abc');
  });

  it('says what is wrong with every bad input without its login', async () => {
    const references = [
      'bob:hunter2@127.0.0.1:5000/x:y',
      'bob@127.0.0.1:5000/x',
      'bob:hunter2@127.0.0.1:5000',
      'bob:hunter2@host',
      'bob:hun@ter2@host/x:y',
      'bob:hunter/2@host/x',
      `bob:hunter2@host/x@sha256:${HEX}`,
      'https://bob:hunter2@127.0.0.1:5000/x',
      'docker://bob:hunter2@host/x',
      'bob:hunter2@Host/X',
    ];
    const messages: string[] = [];
    for (const text of references) messages.push(await messageOf(() => parseReference(text)));
    for (const name of ['bob:hunter2@127.0.0.1:5000', 'https://bob:hunter2@host', 'bob@host']) {
      messages.push(await messageOf(() => new RegistryClient({ registry: name })));
    }

    // A registry naming a token realm with a login in it, and one the URL parser refuses.
    for (const realm of ['http://bob:hunter2@[::1', 'http://bob:hunter2@127.0.0.1:1/token']) {
      proxy.rules = [{ method: 'GET', path: /^\/v2\/$/, fault: { kind: 'answer', status: 401, headers: { 'www-authenticate': `Bearer realm="${realm}",service="s"` } }, times: 1 }];
      const client = new RegistryClient({ registry: proxy.host, credentials: { username: 'alice', password: 'not-secret' } });
      messages.push(await messageOf(() => client.listTags('x')));
      await client.close();
    }

    // An upload session at a Location with a login in it that cannot be parsed.
    proxy.rules = [{ method: 'POST', path: /\/blobs\/uploads\/$/, fault: { kind: 'answer', status: 202, headers: { location: 'http://bob:hunter2@[bad/v2/up' } }, times: 1 }];
    const client = new RegistryClient({ registry: proxy.host, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
    const image = await makeTestImage([{ 'f.txt': 'f' }]);
    messages.push(await messageOf(() => pushImage(client, { repository: 'r/app', tag: 'v1' }, image)));
    await client.close();
    proxy.rules = [];

    expect(messages).toHaveLength(references.length + 6);
    for (const message of messages) {
      expect(message, message).not.toMatch(SECRET);
      expect(message.split('\n'), message).toHaveLength(1);
    }
    expect(messages[0]).toBe(
      'invalid image reference "***@127.0.0.1:5000/x:y": a login (USER:PASS@) does not go in a reference: pass --creds USER:PASS or log in instead; write it as HOST[:PORT]/REPOSITORY[:TAG] or …@sha256:DIGEST',
    );
  });
});
