import * as assert from 'node:assert/strict';
import { normaliseHost } from '../../agent/llm/connection';
import { isMedLabError } from '../../agent/errors';

describe('Ollama host normalisation', () => {
  it("defaults to the local server and gives a bare host Ollama's port, not 80", () => {
    assert.deepEqual(normaliseHost(undefined), { url: 'http://127.0.0.1:11434', loopback: true });
    assert.equal(normaliseHost('').url, 'http://127.0.0.1:11434');
    assert.equal(normaliseHost('localhost').url, 'http://localhost:11434');
    assert.equal(normaliseHost(':8080').url, 'http://127.0.0.1:8080');
    assert.equal(normaliseHost('127.0.0.1:8080/').url, 'http://127.0.0.1:8080');
    // The npm client would send this one to port 80.
    assert.equal(normaliseHost('http://lab-server').url, 'http://lab-server:11434');
    assert.equal(normaliseHost('https://proxy.lab:8443/ollama/').url, 'https://proxy.lab:8443/ollama');
  });

  it('treats 0.0.0.0 (a server bind address in OLLAMA_HOST) as this machine', () => {
    const h = normaliseHost('0.0.0.0:11434');
    assert.equal(h.url, 'http://127.0.0.1:11434');
    assert.equal(h.loopback, true);
    assert.equal(h.warning, undefined);
  });

  it('warns whenever the host is not loopback', () => {
    for (const local of ['localhost', '127.0.0.2:11434', '[::1]:11434', 'http://localhost:9']) {
      const h = normaliseHost(local);
      assert.equal(h.loopback, true, local);
      assert.equal(h.warning, undefined, local);
    }
    for (const remote of ['gpu-box', '192.168.1.20', 'http://10.0.0.5:11434', 'https://ollama.example.org']) {
      const h = normaliseHost(remote);
      assert.equal(h.loopback, false, remote);
      assert.match(h.warning ?? '', /not on this machine/, remote);
    }
  });

  it('refuses other schemes, credentials and garbage with a usage error naming the setting', () => {
    for (const bad of ['ftp://x', 'http://user:secret@gpu-box', 'http://exa mple']) {
      assert.throws(
        () => normaliseHost(bad),
        (e: unknown) => isMedLabError(e) && e.code === 'E_USAGE' && e.data.field === 'ollama.host',
        bad,
      );
    }
    assert.throws(
      () => normaliseHost('http://user:secret@gpu-box'),
      (e: Error) => !e.message.includes('secret'),
    );
  });
});
