import Table from 'cli-table3';

// C0 and C1 control characters and DEL, which would move the cursor or garble the terminal.
const controlCharacters = /\p{Cc}/u;

/** Returns text that is safe in a terminal cell: JSON-quoted if it has control characters. */
export function displayText(text: string): string {
  return controlCharacters.test(text) ? JSON.stringify(text) : text;
}

/** Shortens `text` to `maxLength` code points, marking the cut with an ellipsis. */
export function truncate(text: string, maxLength: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= maxLength) return text;
  return `${codePoints.slice(0, maxLength - 1).join('')}…`;
}

/** Renders rows as a bordered table with a header row. */
export function renderTable(head: string[], rows: Array<Array<string | number>>): string {
  const table = new Table({ head, style: { head: [], border: [] } });
  table.push(...rows);
  return table.toString();
}
