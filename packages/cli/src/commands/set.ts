import type { Command } from 'commander';
import {
  addObjectOptions,
  checkStateNameArgument,
  parseJsonArgument,
  readObjectTarget,
} from '../arguments.js';
import { printJson, printLine, withStore } from '../context.js';
import { lookUpObjectId } from '../object-lookup.js';

/** Registers `set`, which writes the value of a state name. */
export function registerSetCommand(program: Command): void {
  const command = program
    .command('set')
    .summary('write the value of a state name')
    .description(
      'Write JSON as the value of STATE_NAME, overwriting any value, and print the value ' +
        'stored afterwards. JSON - reads the value from stdin. With --object, the object is ' +
        'created if it does not exist.',
    )
    .usage('[options] (OBJECT_ID | --object NAME --class CLASS) STATE_NAME JSON')
    .argument('[OBJECT_ID]', 'object id, as printed by object-id')
    .argument('[STATE_NAME]', 'state name, such as lastRun')
    .argument('[JSON]', 'the value as JSON, such as \'{"at": 1}\' or \'"text"\'; - reads stdin');

  addObjectOptions(command).action(async (_first, _second, _third, _options, command: Command) => {
    const target = readObjectTarget(command, ['STATE_NAME', 'JSON']);
    const [name = '', valueText = ''] = target.rest;
    checkStateNameArgument(name);
    const value = await parseJsonArgument(valueText, 'the value');

    await withStore(command, async ({ connector }, { json }) => {
      const objectId = await lookUpObjectId(connector, target, true);
      const stored = await connector.setState(objectId, name, value);
      if (json) printJson({ objectId, name, value: stored });
      else printLine(JSON.stringify(stored, null, 2));
    });
  });
}
