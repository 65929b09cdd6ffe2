import type { AdministeredStateConnector, Json } from '@state-connector/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import type { LineProcess } from './helpers/line-process.js';
import { errorName, expectOk, resultOf } from './helpers/responses.js';
import type { InteropStore } from './helpers/store.js';

/**
 * Values whose JSON text differs between Python's `json.dumps` (ASCII escapes, `, ` and
 * `: ` separators) and `JSON.stringify` (raw UTF-8, no spaces), though both decode them to
 * the same value.
 */
const unicodeValues: Array<[string, Json]> = [
  ['latin', 'héllo wörld'],
  ['cjk', '日本語のテキスト'],
  ['cyrillic key', { ключ: 'значение' }],
  ['emoji', '😀 and 🎉'],
  ['astral key', { '𝄞': ['𝄞', '\u{10FFFF}'] }],
  ['nul and controls', 'a\u0000b\u0001\t\n\u001f\u007f'],
  ['line separators', 'x\u2028y\u2029z'],
  ['lone surrogates', 'high \ud800 low \udfff reversed \udc00\ud800'],
  ['bom and noncharacters', '\ufeff\ufffe\uffff'],
  ['combining mark', 'e\u0301 vs \u00e9'],
  ['quotes and slashes', '"\\/\'</script>'],
  ['nested', { liste: ['ü', { ß: 'ẞ' }], n: 1.5, leer: {} }],
];

// Python's ensure_ascii escapes every character outside U+0020-U+007E, DEL included, while
// JSON.stringify escapes only control characters below U+0020 and lone surrogates.
const printableAscii = /^[\u0020-\u007e]*$/;

describeEachBackend('JSON text', (backend) => {
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

  async function storedText(objectId: number, name: string): Promise<string | undefined> {
    const rows = await store.stateRows(objectId);
    return rows.find((row) => row.name === name)?.valueJson;
  }

  it('Buildbot text decodes exactly', async () => {
    const objectId = await connector.getObjectId('unicode', 'BuildbotWrites');
    for (const [name, value] of unicodeValues) {
      const valueJson = JSON.stringify(value);
      const written = expectOk(
        await buildbot.request({ op: 'setState', objectId, name, valueJson }),
      );

      const text = await storedText(objectId, name);
      expect(text, name).toBe(written.pythonJson);
      expect(text, name).toMatch(printableAscii);
      expect(await connector.getState(objectId, name), name).toEqual(value);
    }
  });

  it('connector text decodes in Buildbot', async () => {
    const ours = await connector.getObjectId('unicode', 'ConnectorWrites');
    const theirs = await connector.getObjectId('unicode', 'BuildbotReference');
    for (const [name, value] of unicodeValues) {
      await connector.setState(ours, name, value);
      const reference = expectOk(
        await buildbot.request({
          op: 'setState',
          objectId: theirs,
          name,
          valueJson: JSON.stringify(value),
        }),
      );

      // Our text is JSON.stringify's. It equals Python's only for a scalar whose JSON text is
      // printable ASCII.
      const text = await storedText(ours, name);
      expect(text, name).toBe(JSON.stringify(value));
      const sameText = typeof value !== 'object' && printableAscii.test(JSON.stringify(value));
      expect(text === reference.pythonJson, name).toBe(sameText);

      // Buildbot decodes our text to the value it decodes its own text to.
      const read = expectOk(await buildbot.request({ op: 'getState', objectId: ours, name }));
      expect(read.resultJson, name).toBe(reference.pythonJson);
    }
  });

  it('Python floats read as numbers', async () => {
    const objectId = await connector.getObjectId('floats', 'PythonOnly');
    const cases: Array<[string, string, number, string]> = [
      ['one point zero', '1.0', 1, 'int'],
      ['negative zero', '-0.0', -0, 'int'],
      ['exponent', '1e+100', 1e100, 'float'],
      ['beyond 2^53', '9007199254740993', 9007199254740992, 'int'],
      ['huge integer', '1000000000000000000000000000000', 1e30, 'float'],
    ];
    for (const [name, pythonText, ours, typeAfterRewrite] of cases) {
      await buildbot.value({ op: 'setState', objectId, name, valueJson: pythonText });
      expect(await storedText(objectId, name), name).toBe(pythonText);

      const read = await connector.getState(objectId, name);
      expect(Object.is(read, ours), `${name}: read ${read}`).toBe(true);

      // Writing the value back changes its Python type or value where JavaScript has no
      // float/int distinction or no integer beyond 2^53.
      await connector.setState(objectId, name, read);
      const back = expectOk(await buildbot.request({ op: 'getState', objectId, name }));
      expect(back.pyType, name).toBe(typeAfterRewrite);
    }
  });

  it('NaN and Infinity are corrupt for us', async () => {
    const objectId = await connector.getObjectId('not finite', 'PythonOnly');
    for (const pythonText of ['NaN', 'Infinity', '-Infinity', '[1, NaN]']) {
      await buildbot.value({ op: 'setState', objectId, name: pythonText, valueJson: pythonText });
      expect(await storedText(objectId, pythonText)).toBe(pythonText);

      await expect(connector.getState(objectId, pythonText)).rejects.toMatchObject({
        code: 'STATE_JSON_INVALID',
      });
      await expect(connector.getState(objectId, pythonText, null)).rejects.toMatchObject({
        code: 'STATE_JSON_INVALID',
      });
      const buildbotRead = await buildbot.request({ op: 'getState', objectId, name: pythonText });
      expect(errorName(buildbotRead)).toBe('ok');
    }
    // One such value makes listState reject for the whole object.
    await expect(connector.listState(objectId)).rejects.toMatchObject({
      code: 'STATE_JSON_INVALID',
    });
  });

  it('integer-like keys move first', async () => {
    const objectId = await connector.getObjectId('key order', 'PythonOnly');
    const pythonText = '{"b": 1, "10": 2, "a": 3}';
    await buildbot.value({ op: 'setState', objectId, name: 'order', valueJson: pythonText });

    const read = (await connector.getState(objectId, 'order')) as Record<string, number>;
    expect(read).toEqual({ b: 1, '10': 2, a: 3 });
    expect(Object.keys(read)).toEqual(['10', 'b', 'a']);

    await connector.setState(objectId, 'order', read);
    expect(await storedText(objectId, 'order')).toBe('{"10":2,"b":1,"a":3}');
    const back = await buildbot.request({ op: 'getState', objectId, name: 'order' });
    expect(expectOk(back).resultJson).toBe('{"10": 2, "b": 1, "a": 3}');
    expect(resultOf(back)).toEqual({ a: 3, b: 1, '10': 2 });
  });
});
