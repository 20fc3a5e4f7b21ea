import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * A PDF read back the way a reader sees it — in process (pdf.js), so `npm test` needs no system
 * tool: the text of each page (items on one line joined by a space, lines by "\n") and the
 * facts `pdfinfo` would print (`Pages`, `Page size`, `Title`, `Author`, `Creator`).
 */
export type ReadPdf = { pages: string[]; info: Record<string, string> };

export async function readPdfDocument(bytes: Uint8Array): Promise<ReadPdf> {
  const document = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    let pageSize = '';
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      if (number === 1) {
        const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
        const width = (x1 - x0).toFixed(2);
        const height = (y1 - y0).toFixed(2);
        const isA4 = width === '595.28' && height === '841.89';
        pageSize = `${width} x ${height} pts${isA4 ? ' (A4)' : ''}`;
      }
      const content = await page.getTextContent();
      // Reading order as a layout tool gives it: lines top to bottom, runs left to right.
      const runs: { x: number; y: number; text: string }[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        runs.push({
          x: item.transform[4] as number,
          y: item.transform[5] as number,
          text: item.str,
        });
      }
      runs.sort((a, b) => b.y - a.y || a.x - b.x);
      const lines: { y: number; runs: { x: number; text: string }[] }[] = [];
      for (const run of runs) {
        const line = lines.at(-1);
        if (line && Math.abs(line.y - run.y) <= 2) line.runs.push(run);
        else lines.push({ y: run.y, runs: [run] });
      }
      pages.push(
        lines
          .map((line) =>
            line.runs
              .sort((a, b) => a.x - b.x)
              .map((run) => run.text)
              .join(' ')
              .trim()
              .replace(/\s+/g, ' '),
          )
          .filter(Boolean)
          .join('\n'),
      );
      page.cleanup();
    }
    const metadata = await document.getMetadata();
    const facts = metadata.info as Record<string, unknown>;
    const info: Record<string, string> = {
      Pages: String(document.numPages),
      'Page size': pageSize,
    };
    for (const key of ['Title', 'Author', 'Creator', 'Producer', 'Subject']) {
      if (typeof facts[key] === 'string') info[key] = facts[key] as string;
    }
    return { pages, info };
  } finally {
    await document.destroy();
  }
}

/** All the text of a PDF, pages separated by a form feed. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await readPdfDocument(bytes)).pages.join('\n\f');
}
