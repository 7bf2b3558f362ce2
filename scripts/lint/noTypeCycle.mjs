// An ESLint rule for the import cycles `import-x/no-cycle` lets through: that rule skips `import type` by design
// (a type-only cycle costs nothing at run time), but such a cycle still ties two modules into one, e.g. a wire
// format that depends on its consumer. This rule reports an import that closes a cycle in which at least one
// step is type-only; cycles made only of value imports stay `import-x/no-cycle`'s to report, so none is
// reported twice. Only relative imports of .ts files are followed: packages cannot import the project back.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** Each file's relative imports, as {path, typeOnly}, kept while the file's mtime is unchanged. */
const cache = new Map();

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    try {
      if (candidate.endsWith('.ts') && statSync(candidate).isFile()) return candidate;
    } catch {
      // Not this one: try the next candidate.
    }
  }
  return undefined;
}

function isTypeOnlyImport(node) {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false; // `import './x'` runs x.
    if (clause.isTypeOnly) return true;
    const named = clause.namedBindings;
    return (
      !clause.name &&
      named !== undefined &&
      ts.isNamedImports(named) &&
      named.elements.length > 0 &&
      named.elements.every((e) => e.isTypeOnly)
    );
  }
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const named = node.exportClause;
    return named !== undefined && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
  }
  return false;
}

function importsOf(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const cached = cache.get(file);
  if (cached && cached.mtime === mtime) return cached.imports;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const imports = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    const path = resolveImport(file, specifier.text);
    if (path) imports.push({ path, typeOnly: isTypeOnlyImport(statement) });
  }
  cache.set(file, { mtime, imports });
  return imports;
}

/** A path of imports from `start` to `target` (a list of files after `start`), or undefined; `valueOnly` skips type-only steps. */
function route(start, target, valueOnly) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const { path, typeOnly } of importsOf(file)) {
      if ((valueOnly && typeOnly) || previous.has(path)) continue;
      previous.set(path, file);
      if (path === target) {
        const steps = [];
        for (let at = path; at !== start; at = previous.get(at)) steps.unshift(at);
        return steps;
      }
      queue.push(path);
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noTypeCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles that pass through a type-only import' },
    schema: [],
    messages: { cycle: 'Import cycle through a type-only import: {{route}}' },
  },
  create(context) {
    const file = context.physicalFilename;
    const root = context.cwd;
    const shown = (path) => path.slice(root.length + 1);
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const imported = resolveImport(file, node.source.value);
      if (!imported) return;
      const back = route(imported, file, false);
      if (!back) return;
      const typeOnly =
        node.importKind === 'type' ||
        node.exportKind === 'type' ||
        (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
      // A cycle made of value imports only is import-x/no-cycle's.
      if (!typeOnly && route(imported, file, true)) return;
      context.report({ node, messageId: 'cycle', data: { route: [file, imported, ...back].map(shown).join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
