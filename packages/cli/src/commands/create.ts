import { encodeJson } from '@state-connector/core';
import type { Command } from 'commander';
import {
  addObjectOptions,
  checkStateNameArgument,
  parseJsonArgument,
  readObjectTarget,
} from '../arguments.js';
import { printJson, printLine, withStore } from '../context.js';
import { lookUpObjectId } from '../object-lookup.js';

/** Registers `create`, which writes a state name only if it has no value (atomicCreateState). */
export function registerCreateCommand(program: Command): void {
  const command = program
    .command('create')
    .summary('write a state name only if it has no value')
    .description(
      'Store JSON as the value of STATE_NAME unless the name already has a value, as ' +
        'atomicCreateState does: when several writers race, exactly one value is stored. ' +
        'Prints the stored value and whether this call created it.',
    )
    .usage('[options] (OBJECT_ID | --object NAME --class CLASS) STATE_NAME JSON')
    .argument('[OBJECT_ID]', 'object id, as printed by object-id')
    .argument('[STATE_NAME]', 'state name, such as clusterSecret')
    .argument('[JSON]', 'the value to create, as JSON; - reads stdin');

  addObjectOptions(command).action(async (_first, _second, _third, _options, command: Command) => {
    const target = readObjectTarget(command, ['STATE_NAME', 'JSON']);
    const [name = '', valueText = ''] = target.rest;
    checkStateNameArgument(name);
    const value = await parseJsonArgument(valueText, 'the value');

    await withStore(command, async ({ connector }, { json }) => {
      const objectId = await lookUpObjectId(connector, target, true);
      let offered: string | undefined;
      const stored = await connector.atomicCreateState(objectId, name, () => {
        offered = encodeJson(value);
        return value;
      });
      // The stored value is this call's when the name had no value at the call's first read
      // and no other writer created it first. A racing writer that stored the same JSON text
      // cannot be distinguished, and the outcome is the same.
      const created = offered !== undefined && encodeJson(stored) === offered;

      if (json) {
        printJson({ objectId, name, value: stored, created });
        return;
      }
      printLine(JSON.stringify(stored, null, 2));
      printLine(created ? 'created: this call stored the value' : 'existed: the value was kept');
    });
  });
}
