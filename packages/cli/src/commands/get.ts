import { StateNotFoundError } from '@state-connector/core';
import type { Command } from 'commander';
import {
  addObjectOptions,
  checkStateNameArgument,
  parseJsonArgument,
  readObjectTarget,
} from '../arguments.js';
import { CliError } from '../cli-errors.js';
import { printJson, printLine, withExistingStore } from '../context.js';
import { checkObjectExists, lookUpObjectId } from '../object-lookup.js';

/** Registers `get`, which prints the value of a state name. */
export function registerGetCommand(program: Command): void {
  const command = program
    .command('get')
    .summary('print the value of a state name')
    .description(
      'Print the value of STATE_NAME on an object as JSON. A missing name or an unknown ' +
        'object is an error (exit code 1) unless --default is given. The object is never ' +
        'created, and a file: store that does not exist is an error.',
    )
    .usage('[options] (OBJECT_ID | --object NAME --class CLASS) STATE_NAME')
    .argument('[OBJECT_ID]', 'object id, as printed by object-id')
    .argument('[STATE_NAME]', 'state name, such as lastRun')
    .option('--default <json>', 'JSON value to print when the name has no value');

  addObjectOptions(command).action(async (_first, _second, options, command: Command) => {
    const target = readObjectTarget(command, ['STATE_NAME']);
    const [name = ''] = target.rest;
    checkStateNameArgument(name);
    const getOptions = options as { default?: string };
    const hasDefault = getOptions.default !== undefined;
    const fallback = hasDefault
      ? await parseJsonArgument(getOptions.default ?? '', '--default')
      : null;

    await withExistingStore(command, async ({ connector }, { json }) => {
      let objectId: number | null;
      try {
        objectId = await lookUpObjectId(connector, target, false);
      } catch (error) {
        // An unknown object has no state, so a default applies to it as to a missing name.
        if (!hasDefault || !(error instanceof CliError) || error.code !== 'OBJECT_NOT_FOUND') {
          throw error;
        }
        objectId = null;
      }

      const missing = Symbol('missing');
      let value: unknown = missing;
      if (objectId !== null && hasDefault) {
        value = await connector.getState(objectId, name, missing);
      } else if (objectId !== null) {
        try {
          value = await connector.getState(objectId, name);
        } catch (error) {
          // getState reports an unknown object as a missing name, so tell the two apart.
          if (error instanceof StateNotFoundError) await checkObjectExists(connector, objectId);
          throw error;
        }
      }
      const found = value !== missing;
      const printed = found ? value : fallback;

      if (json) printJson({ objectId, name, value: printed, found });
      else printLine(JSON.stringify(printed, null, 2));
    });
  });
}
