import {
  BackendError,
  ConnectorClosedError,
  ErrorCode,
  InvalidNameError,
  InvalidObjectIdError,
  ObjectNotFoundError,
  StateJsonError,
  StateNotFoundError,
  SyncUnavailableError,
} from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { expectRejection, expectThrow } from './expect-error.js';
import { TEST_CLASS, UNKNOWN_OBJECT_IDS, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

const invalidObjectIds: unknown[] = [
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  '1',
  null,
  undefined,
  1n,
  {},
];

/** Registers the checks of unknown and invalid object ids, of `close` and of error codes. */
export function describeIdsAndClose(target: ConformanceTarget): void {
  describe('object ids', () => {
    const harness = useStore(target);

    it('unknown ids read as missing', async () => {
      for (const id of UNKNOWN_OBJECT_IDS) {
        await expectRejection(harness.connector.getState(id, 'name'), StateNotFoundError);
        expect(await harness.connector.getState(id, 'name', 'default')).toBe('default');
        expect(await harness.connector.deleteState(id, 'name')).toBe(false);
        expect(await harness.connector.listState(id)).toEqual(new Map());
      }
    });

    it('unknown ids reject writes', async () => {
      const before = await harness.countRows();
      let created = 0;
      const create = () => {
        created++;
        return 1;
      };
      for (const id of UNKNOWN_OBJECT_IDS) {
        const error = await expectRejection(
          harness.connector.setState(id, 'name', 1),
          ObjectNotFoundError,
        );
        expect(error.message).toContain(String(id));
        await expectRejection(
          harness.connector.atomicCreateState(id, 'name', create),
          ObjectNotFoundError,
        );
        expect(await harness.connector.getState(id, 'name', 'missing')).toBe('missing');
      }
      expect(created).toBe(0);
      await harness.expectRowsUnchanged(before);
    });

    it('invalid ids reject', async () => {
      const before = await harness.countRows();
      const connector = harness.connector as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      let created = 0;
      const create = () => {
        created++;
        return 1;
      };
      for (const id of invalidObjectIds) {
        const calls: Array<[string, unknown[]]> = [
          ['getState', [id, 'name']],
          ['getState', [id, 'name', null]],
          ['setState', [id, 'name', 1]],
          ['atomicCreateState', [id, 'name', create]],
          ['deleteState', [id, 'name']],
          ['listState', [id]],
        ];
        for (const [method, args] of calls) {
          const promise = Promise.resolve().then(() => connector[method]?.(...args));
          const error = await expectRejection(promise, InvalidObjectIdError);
          expect(error).toBeInstanceOf(TypeError);
        }
      }
      expect(created).toBe(0);
      await harness.expectRowsUnchanged(before);
    });
  });

  describe('close', () => {
    const harness = useStore(target);

    it('close is idempotent', async () => {
      const connector = await harness.connect();
      await connector.getObjectId('close-idempotent', TEST_CLASS);
      await Promise.all([connector.close(), connector.close()]);
      await connector.close();
    });

    it('calls after close reject', async () => {
      const connector = await harness.connect();
      const id = await connector.getObjectId('closed', TEST_CLASS);
      await connector.setState(id, 'kept', 1);
      await connector.close();

      // A cached object id must not bypass the check either.
      await expectRejection(connector.getObjectId('closed', TEST_CLASS), ConnectorClosedError);
      await expectRejection(connector.getState(id, 'kept'), ConnectorClosedError);
      await expectRejection(connector.getState(id, 'kept', null), ConnectorClosedError);
      await expectRejection(connector.setState(id, 'kept', 2), ConnectorClosedError);
      await expectRejection(
        connector.atomicCreateState(id, 'other', () => 1),
        ConnectorClosedError,
      );
      await expectRejection(connector.deleteState(id, 'kept'), ConnectorClosedError);
      await expectRejection(connector.listState(id), ConnectorClosedError);
      expectThrow(() => connector.getObjectIdSync('closed', TEST_CLASS), ConnectorClosedError);
      expectThrow(() => connector.getStateSync(id, 'kept'), ConnectorClosedError);
      expectThrow(() => connector.setStateSync(id, 'kept', 2), ConnectorClosedError);

      // Other connectors on the store go on working.
      expect(await harness.connector.getState(id, 'kept')).toBe(1);
    });

    it('close settles calls in flight', async () => {
      const connector = await harness.connect();
      const id = await connector.getObjectId('close-in-flight', TEST_CLASS);

      // More calls than a typical pool has connections, so that some wait for one.
      const calls = Array.from({ length: 40 }, (_, index) =>
        connector.setState(id, `value-${index}`, index),
      );
      await connector.close();
      const results = await Promise.allSettled(calls);

      for (const [index, result] of results.entries()) {
        if (result.status === 'fulfilled') {
          expect(result.value).toBe(index);
          expect(await harness.connector.getState(id, `value-${index}`)).toBe(index);
        } else {
          expect(result.reason, `call ${index}`).toBeInstanceOf(ConnectorClosedError);
        }
      }
    });

    it('error codes are stable', () => {
      expect(ErrorCode).toEqual({
        stateNotFound: 'STATE_NOT_FOUND',
        stateJson: 'STATE_JSON_INVALID',
        invalidName: 'INVALID_NAME',
        invalidObjectId: 'INVALID_OBJECT_ID',
        objectNotFound: 'OBJECT_NOT_FOUND',
        backend: 'BACKEND_FAILURE',
        closed: 'CONNECTOR_CLOSED',
        syncUnavailable: 'SYNC_UNAVAILABLE',
      });
      const errors = [
        new StateNotFoundError(1, 'name'),
        new StateJsonError('message'),
        new InvalidNameError('message'),
        new InvalidObjectIdError(0),
        new ObjectNotFoundError(1),
        new BackendError('backend', 'operation', { retryable: false, cause: new Error('x') }),
        new ConnectorClosedError('operation'),
        new SyncUnavailableError('operation', 'reason'),
      ];
      expect(errors.map((error) => error.code)).toEqual(Object.values(ErrorCode));
      expect(errors.map((error) => error.name)).toEqual(
        errors.map((error) => error.constructor.name),
      );
    });
  });

  describe('visibility', () => {
    const harness = useStore(target);

    it('writes are visible to every connector', async () => {
      const openedBefore = await harness.connect();
      const writer = await harness.connect();
      const name = harness.uniqueName('shared');
      const id = await writer.getObjectId(name, TEST_CLASS);
      await writer.setState(id, 'value', { n: 1 });

      const openedAfter = await harness.connect();
      for (const reader of [openedBefore, openedAfter]) {
        expect(await reader.getObjectId(name, TEST_CLASS)).toBe(id);
        expect(await reader.getState(id, 'value')).toEqual({ n: 1 });
      }

      await writer.setState(id, 'value', { n: 2 });
      expect(await openedBefore.getState(id, 'value')).toEqual({ n: 2 });
      expect(await openedAfter.atomicCreateState(id, 'value', () => 'new')).toEqual({ n: 2 });

      await openedAfter.deleteState(id, 'value');
      expect(await openedBefore.getState(id, 'value', 'deleted')).toBe('deleted');
      await writer.close();
      expect(await openedBefore.getObjectId(name, TEST_CLASS)).toBe(id);
    });

    it('writes survive closing the writer', async () => {
      const writer = await harness.connect();
      const name = harness.uniqueName('durable');
      const id = await writer.getObjectId(name, TEST_CLASS);
      await writer.setState(id, 'value', 'kept');
      await writer.close();

      const reader = await harness.connect();
      expect(await reader.getObjectId(name, TEST_CLASS)).toBe(id);
      expect(await reader.getState(id, 'value')).toBe('kept');
    });
  });
}
