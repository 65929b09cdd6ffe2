import type { AdministeredStateConnector } from '@state-connector/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import type { LineProcess } from './helpers/line-process.js';
import { errorName, resultOf } from './helpers/responses.js';
import type { InteropStore } from './helpers/store.js';

function codePoints(text: string): number {
  return Array.from(text).length;
}

/** Object names around the limit of 128 code points; over it, the first 64 are kept. */
const objectNames: Array<[string, string]> = [
  ['short non-ASCII', 'pollér-日本-😀'],
  ['ascii 128', 'o'.repeat(128)],
  ['ascii 129', 'o'.repeat(129)],
  ['two-byte 129', 'é'.repeat(129)],
  ['three-byte 200', '€'.repeat(200)],
  ['astral 128', '😀'.repeat(128)],
  ['astral 129', '😀'.repeat(129)],
  ['astral last kept', `${'x'.repeat(63)}😀${'y'.repeat(100)}`],
  ['astral first cut', `${'x'.repeat(64)}😀${'y'.repeat(100)}`],
  ['combining marks', 'e\u0301'.repeat(100)],
  ['max code point', '\u{10FFFF}'.repeat(130)],
  ['mixed scripts', 'añ日😀'.repeat(40)],
];

/** State names around the limit of 255 code points; over it, the first 127 are kept. */
const stateNames: Array<[string, string]> = [
  ['short non-ASCII', 'état-ключ-😀'],
  ['ascii 255', 's'.repeat(255)],
  ['ascii 256', 's'.repeat(256)],
  ['two-byte 300', 'ß'.repeat(300)],
  ['astral 255', '🎉'.repeat(255)],
  ['astral 256', '🎉'.repeat(256)],
  ['astral last kept', `${'x'.repeat(126)}🎉${'y'.repeat(200)}`],
  ['astral first cut', `${'x'.repeat(127)}🎉${'y'.repeat(200)}`],
  ['max code point', '\u{10FFFF}'.repeat(260)],
  ['mixed scripts', 'añ日🎉'.repeat(70)],
];

describeEachBackend('long and non-ASCII names', (backend) => {
  let store: InteropStore;
  let buildbot: LineProcess;
  let connector: AdministeredStateConnector;

  beforeAll(async () => {
    store = await backend.createStore();
    buildbot = await store.master.startDriver();
    connector = store.connect();
  });

  afterAll(async () => {
    await store?.dispose();
  });

  it('object names shorten byte for byte', async () => {
    for (const [label, name] of objectNames) {
      const buildbotId = Number(
        await buildbot.value({ op: 'getObjectId', name, className: 'BuildbotCreated' }),
      );
      const ourId = await connector.getObjectId(name, 'ConnectorCreated');

      const rows = await store.objects();
      const buildbotRow = rows.find((row) => row.id === buildbotId);
      const ourRow = rows.find((row) => row.id === ourId);
      expect(ourRow?.name, label).toBe(buildbotRow?.name);
      expect(ourRow?.nameBytes.equals(buildbotRow?.nameBytes ?? Buffer.alloc(0)), label).toBe(true);
      const stored = ourRow?.name ?? '';
      if (codePoints(name) <= 128) expect(stored, label).toBe(name);
      else expect(codePoints(stored), label).toBe(64 + 40);

      // Each side finds the other's object under the full name.
      expect(await connector.getObjectId(name, 'BuildbotCreated'), label).toBe(buildbotId);
      const seen = await buildbot.value({ op: 'getObjectId', name, className: 'ConnectorCreated' });
      expect(seen, label).toBe(ourId);
    }
    const identities = (await store.objects()).map((row) => `${row.className}/${row.name}`);
    expect(new Set(identities).size).toBe(identities.length);
  });

  it('state names shorten byte for byte', async () => {
    for (const [index, [label, name]] of stateNames.entries()) {
      const buildbotObject = await connector.getObjectId(`state-${index}`, 'BuildbotWrites');
      const ourObject = await connector.getObjectId(`state-${index}`, 'ConnectorWrites');
      await buildbot.value({ op: 'setState', objectId: buildbotObject, name, valueJson: '"b"' });
      await connector.setState(ourObject, name, 'c');

      const [buildbotRow] = await store.stateRows(buildbotObject);
      const [ourRow] = await store.stateRows(ourObject);
      expect(ourRow?.name, label).toBe(buildbotRow?.name);
      expect(ourRow?.nameBytes.equals(buildbotRow?.nameBytes ?? Buffer.alloc(0)), label).toBe(true);
      const stored = ourRow?.name ?? '';
      const shortened = codePoints(name) > 255;
      if (shortened) expect(codePoints(stored), label).toBe(127 + 40);
      else expect(stored, label).toBe(name);

      // We shorten on every read, so the full name finds Buildbot's value.
      expect(await connector.getState(buildbotObject, name), label).toBe('b');

      // Buildbot's getState does not shorten: a long name is found only in its stored form.
      const byFullName = await buildbot.request({ op: 'getState', objectId: ourObject, name });
      expect(errorName(byFullName), label).toBe(shortened ? 'KeyError' : 'ok');
      const byStoredName = await buildbot.request({
        op: 'getState',
        objectId: ourObject,
        name: stored,
      });
      expect(resultOf(byStoredName), label).toBe('c');
    }
  });
});
