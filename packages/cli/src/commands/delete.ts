import type { Command } from 'commander';
import { addObjectOptions, checkStateNameArgument, readObjectTarget } from '../arguments.js';
import { printJson, printLine, withExistingStore } from '../context.js';
import { checkObjectExists, lookUpObjectId } from '../object-lookup.js';

/** Registers `delete`, which removes the value of a state name. */
export function registerDeleteCommand(program: Command): void {
  const command = program
    .command('delete')
    .summary('remove the value of a state name')
    .description(
      'Remove the value of STATE_NAME from an object. Removing a name that has no value ' +
        'succeeds and says so, but an unknown object is an error (exit code 1). The object ' +
        'is never created, and a file: store that does not exist is an error.',
    )
    .usage('[options] (OBJECT_ID | --object NAME --class CLASS) STATE_NAME')
    .argument('[OBJECT_ID]', 'object id, as printed by object-id')
    .argument('[STATE_NAME]', 'state name to remove');

  addObjectOptions(command).action(async (_first, _second, _options, command: Command) => {
    const target = readObjectTarget(command, ['STATE_NAME']);
    const [name = ''] = target.rest;
    checkStateNameArgument(name);

    await withExistingStore(command, async ({ connector }, { json }) => {
      const objectId = await lookUpObjectId(connector, target, false);
      const deleted = await connector.deleteState(objectId, name);
      // deleteState returns false for an unknown object too, so tell the two apart.
      if (!deleted) await checkObjectExists(connector, objectId);
      if (json) {
        printJson({ objectId, name, deleted });
      } else if (deleted) {
        printLine(`Deleted state ${JSON.stringify(name)} of object ${objectId}.`);
      } else {
        printLine(`State ${JSON.stringify(name)} of object ${objectId} had no value.`);
      }
    });
  });
}
