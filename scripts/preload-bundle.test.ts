import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { CHANNELS, ipcChannelName } from '../shared/ipc/contract.js';
// @ts-expect-error -- plain ESM build config without type declarations
import { preloadBundle, requiredModules } from './node-bundles.mjs';

async function bundledPreload(): Promise<string> {
  const result = await build({ ...preloadBundle, outfile: 'preload.cjs', write: false });
  const [file] = result.outputFiles ?? [];
  assert.ok(file, 'esbuild produced the preload');
  return file.text;
}

test('the built preload is one CommonJS file that requires only electron', async () => {
  const code = await bundledPreload();
  assert.deepEqual([...new Set(requiredModules(code) as string[])], ['electron']);
});

test('the preload exposes exactly one function per contract channel, each invoking its own channel', async () => {
  const code = await bundledPreload();
  const exposed: Record<string, unknown> = {};
  const invoked: [string, unknown][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push([channel, payload]);
        return { ok: true, value: channel };
      },
    },
  };
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(code, { require: sandboxRequire, module, exports: module.exports });

  assert.deepEqual(Object.keys(exposed), ['keyturn'], 'only window.keyturn is exposed');
  const api = exposed.keyturn as Record<string, (req: unknown) => Promise<unknown>>;
  assert.deepEqual(Object.keys(api).sort(), [...CHANNELS].sort());
  assert.equal(Object.isFrozen(api), true);
  for (const channel of CHANNELS) {
    assert.equal(typeof api[channel], 'function');
    assert.deepEqual(await api[channel]!({ probe: channel }), { ok: true, value: ipcChannelName(channel) });
  }
  assert.deepEqual(
    invoked.map(([c]) => c),
    CHANNELS.map(ipcChannelName),
  );
  assert.ok(!('ipcRenderer' in api) && !('invoke' in api) && !('send' in api));
});
