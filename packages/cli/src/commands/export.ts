import type { Command } from 'commander';
import { printNote, withExistingStore } from '../context.js';
import { withFileErrors } from '../transfer/file-errors.js';
import { compareStoredNames, formatObjectLine, formatStateLine } from '../transfer/json-lines.js';
import { openLineWriter } from '../transfer/line-writer.js';
import { startProgress } from '../transfer/progress.js';

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Registers `export`, which writes every object and state value as JSON lines. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .summary('write every object and state value as JSON lines')
    .description(
      'Write the store as JSON lines: one line per object, ordered by id, each followed by ' +
        'its state lines, ordered by name. A state line carries the stored JSON text ' +
        'exactly, so an import elsewhere keeps it byte for byte. The summary goes to stderr. ' +
        'A file: store that does not exist is an error.',
    )
    .option('-o, --output <file>', 'file to write, created or replaced (default: stdout)')
    .action(async (options: { output?: string }, command: Command) => {
      await withExistingStore(command, async ({ connector, backend, shownUrl }, { json }) => {
        const objects = await connector.listObjects();
        const path = options.output;
        const writer =
          path === undefined
            ? await openLineWriter(undefined)
            : await withFileErrors('write', path, () => openLineWriter(path));
        const progress = startProgress(objects.length, 'objects');
        let stateCount = 0;
        const invalid: string[] = [];

        const writeAll = async () => {
          try {
            for (const object of objects) {
              await writer.write(formatObjectLine(object));
              const entries = await connector.listStateText(object.id);
              // Sorted here as well, because backends order text by different collations.
              entries.sort(([left], [right]) => compareStoredNames(left, right));
              for (const [name, text] of entries) {
                await writer.write(formatStateLine(object.id, name, text));
                if (!isJsonText(text))
                  invalid.push(`${JSON.stringify(name)} of object ${object.id}`);
              }
              stateCount += entries.length;
              progress.increment();
            }
          } finally {
            progress.stop();
            await writer.close();
          }
        };
        if (path === undefined) await writeAll();
        else await withFileErrors('write', path, writeAll);

        if (invalid.length > 0) {
          // The line is exported as stored, but import rejects it until the value is fixed.
          printNote(
            `warning: ${invalid.length} stored values are not valid JSON, and import will ` +
              `reject them: state ${invalid.slice(0, 5).join(', ')}` +
              `${invalid.length > 5 ? ', ...' : ''}. Fix them with set or delete.`,
          );
        }
        const summary = {
          objects: objects.length,
          state: stateCount,
          invalidJson: invalid.length,
          backend,
          url: shownUrl,
        };
        if (json) {
          printNote(JSON.stringify(summary));
        } else {
          printNote(
            `Exported ${objects.length} objects and ${stateCount} state values ` +
              `from the ${backend} store ${shownUrl}.`,
          );
        }
      });
    });
}
