/**
 * Lists functions under src/ and web/ longer than a limit (default 60 lines), longest first; exits 1 when
 * any is found. Part of `npm run check`, so long functions are split before they land.
 *   npx tsx scripts/function-lengths.ts [limit]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const limit = Number(process.argv[2] ?? 60);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function longFunctions(file: string): { name: string; lines: number }[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = src.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = src.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name?.getText() ?? `(anonymous at line ${start + 1})`;
      if (end - start + 1 > limit) found.push({ name: `${file}:${start + 1} ${name}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return found;
}

const long = ['src', 'web']
  .flatMap(files)
  .flatMap(longFunctions)
  .sort((a, b) => b.lines - a.lines);
for (const f of long) console.log(`${f.lines} lines: ${f.name}`);
if (long.length) {
  console.error(`${long.length} function(s) over ${limit} lines under src/ and web/: split them`);
  process.exit(1);
}
