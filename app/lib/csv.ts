// CSV exports (the audit log, reconciliation issues, payouts): UTF-8, one header row, CRLF line ends,
// cells a spreadsheet cannot run, served as a download; and reading a CSV file (Checkout.com's reports).

/**
 * One CSV cell: quoted when it must be, and a leading =, +, -, @, tab or return neutralised with a
 * quote mark (except a negative number), so a spreadsheet never runs what an actor's name or a note put there (CSV injection).
 */
export function csvCell(value: string | null): string {
  let text = value ?? "";
  // A plain number (a refund's "-12.34") is no formula: it stays a number for the spreadsheet.
  if (/^[=+\-@\t\r]/.test(text) && !/^-\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header row and one row per record, every cell made safe. */
export function csvTable(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>): string {
  return [columns.join(","), ...rows.map((row) => row.map(csvCell).join(","))].join("\r\n") + "\r\n";
}

/**
 * The file as a download named `<name>-<UTC day>.csv`. A cut-off export says so in a header (`truncated`):
 * the file itself stays a plain table.
 */
export function csvDownload(csv: string, name: string, truncated?: string | null): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
      ...(truncated ? { "X-Truncated": truncated } : {}),
    },
  });
}

/**
 * The rows of a CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks; a BOM is
 * skipped). Unquoted cells are sliced, not built a character at a time: report files run to 100 MB.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const separator = /[,\r\n]/g;
  while (i < text.length) {
    let cell: string;
    if (text[i] === '"') {
      cell = "";
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) throw new Error("A quoted CSV cell is not closed");
        cell += text.slice(from, quote);
        if (text[quote + 1] !== '"') {
          i = quote + 1;
          break;
        }
        cell += '"';
        from = quote + 2;
      }
    } else {
      separator.lastIndex = i;
      const end = separator.exec(text)?.index ?? text.length;
      cell = text.slice(i, end);
      i = end;
    }
    row.push(cell);
    if (text[i] === ",") {
      i++;
      // A last cell left empty at the very end.
      if (i === text.length) rows.push([...row, ""]);
      continue;
    }
    // End of a row: \r\n, \n, \r or the end of the text.
    rows.push(row);
    row = [];
    if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
    else i++;
  }
  return rows;
}
