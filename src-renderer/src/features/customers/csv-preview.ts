// Enough of CSV to show a few example values beside each column while mapping;
// the real parsing (and every check) happens in main.

/** The first `maxRecords` records of a CSV text (quotes, doubled quotes, CRLF and a BOM handled). */
export function previewCsv(text: string, maxRecords: number): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < source.length && records.length < maxRecords; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += ch;
  }
  if ((cell !== '' || record.length > 0) && records.length < maxRecords) records.push([...record, cell]);
  return records;
}

/** For each column of the header row, up to `count` non-empty example values from the rows below it. */
export function columnExamples(text: string, count = 2, scanRows = 20): string[][] {
  const [header = [], ...rows] = previewCsv(text, scanRows + 1);
  return header.map((_, column) =>
    rows
      .map((row) => (row[column] ?? '').trim())
      .filter((value) => value !== '')
      .slice(0, count),
  );
}
