#!/usr/bin/env node
// Enforces the import rules of ARCHITECTURE.md §2. Prints every violation with file and line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function listFiles(directory) {
  const files = [];
  let entries = [];
  try {
    entries = readdirSync(directory);
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = path.join(directory, entry);
    if (statSync(full).isDirectory()) files.push(...listFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(entry)) files.push(full);
  }
  return files;
}

const rel = (file) => path.relative(root, file).split(path.sep).join('/');
const area = (file) => {
  const relative = rel(file);
  const match = /^src\/([^/]+)/.exec(relative);
  if (relative.startsWith('web/')) return 'web';
  return match ? match[1] : 'other';
};
const moduleName = (file) => /^src\/modules\/([^/]+)/.exec(rel(file))?.[1];

const rules = [
  {
    applies: (from) => area(from) === 'engine',
    allows: (_from, to) => ['engine', 'shared', 'nlu'].includes(area(to)),
    message: 'engine/ may import only shared/ and nlu/ (it is pure: no DB, HTTP or queue)',
  },
  {
    applies: (from) => area(from) === 'nlu',
    allows: (_from, to) => ['nlu', 'shared'].includes(area(to)),
    message: 'nlu/ may import only shared/ (the engine runs it: it is pure)',
  },
  {
    applies: (from) => area(from) === 'shared',
    allows: (_from, to) => area(to) === 'shared',
    message: 'shared/ may import only shared/',
  },
  {
    applies: (from) => area(from) === 'channels',
    allows: (_from, to) => ['channels', 'shared', 'platform'].includes(area(to)),
    message: 'channels/ may import shared/ and platform/, never modules/ or app/',
  },
  {
    applies: (from) => area(from) === 'platform',
    allows: (_from, to) => ['platform', 'shared', 'config'].includes(area(to)),
    message: 'platform/ holds no business rules: it may import only platform/, shared/ and config/',
  },
  {
    applies: (from) => area(from) === 'web',
    allows: (_from, to) => area(to) === 'web' || area(to) === 'shared',
    message: 'web/ may import only shared/ from the server side',
  },
  {
    applies: (from) =>
      area(from) !== 'app' &&
      !rel(from).startsWith('src/main.ts') &&
      !rel(from).startsWith('test/'),
    allows: (_from, to) => area(to) !== 'app',
    message: 'only the composition root (src/main.ts) imports app/',
  },
  {
    applies: (from) => area(from) === 'modules',
    allows: (from, to) => {
      if (area(to) !== 'modules') return true;
      if (moduleName(from) === moduleName(to)) return true;
      // Foreign keys: a module's tables may reference another module's tables, nothing more.
      if (/\.tables\.ts$/.test(rel(from)) && /\.tables\.ts$/.test(rel(to))) return true;
      return /^src\/modules\/[^/]+\/index\.ts$/.test(rel(to));
    },
    message:
      'a module reaches another module only through its entry point (src/modules/<name>/index.ts)',
  },
  {
    applies: (from) => area(from) !== 'modules' && area(from) !== 'other',
    allows: (_from, to) =>
      area(to) !== 'modules' || /^src\/modules\/[^/]+\/index\.ts$/.test(rel(to)),
    message: 'code outside modules/ reaches a module only through its entry point',
  },
];

const envReaders = new Set(['src/config/load-config.ts']);
const problems = [];
const files = [...listFiles(path.join(root, 'src')), ...listFiles(path.join(root, 'web', 'src'))];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lineOf = (index) => text.slice(0, index).split('\n').length;
  for (const match of text.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2];
    if (!specifier?.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
    // Tests may use the shared test helpers in test/.
    const isTestCode = /\.test\.tsx?$|\.conformance\.ts$|\/testing\//.test(rel(file));
    if (isTestCode && rel(target).startsWith('test/')) continue;
    for (const rule of rules) {
      if (rule.applies(file) && !rule.allows(file, target)) {
        problems.push(`${rel(file)}:${lineOf(match.index)} imports ${specifier}: ${rule.message}`);
      }
    }
  }
  const isTest = /\.test\.tsx?$/.test(file);
  if (
    !isTest &&
    !envReaders.has(rel(file)) &&
    area(file) !== 'web' &&
    /process\.env\b/.test(text)
  ) {
    problems.push(`${rel(file)}: reads process.env; only src/config/load-config.ts may (STYLE.md)`);
  }
}

if (problems.length > 0) {
  console.error(
    `Import boundary violations (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(`Import boundaries hold (${files.length} files checked).`);
