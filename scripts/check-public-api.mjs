// `npm run lint:api`: the core's public index hands out plain data only (docs/architecture.md, "The
// core is an API"). Every function, value and type it exports is walked with the TypeScript
// checker: no parameter, answer or field may be a type declared by the data layer (src/core/db:
// entities, rows, the store) or by the ORM (@mikro-orm: EntityManager, entity references). The
// core context is the one opaque handle an adapter passes back and is not walked.
//
//   node scripts/check-public-api.mjs [project-dir]   (default: this project)
import ts from 'typescript';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const index = join(root, 'src', 'core', 'index.ts');
const dataLayer = join(root, 'src', 'core', 'db') + sep;
const opaque = new Set(['CoreContext']);

const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
if (!parsed) throw new Error(`no tsconfig.json in ${root}`);
const program = ts.createProgram([index], { ...parsed.options, noEmit: true });
const checker = program.getTypeChecker();
const source = program.getSourceFile(index);
if (!source) throw new Error(`${index} not found`);

/** Where a symbol is declared, if that is a place the public API must not expose. */
function forbiddenOrigin(symbol) {
  for (const d of symbol?.declarations ?? []) {
    const file = resolve(d.getSourceFile().fileName);
    if (file.startsWith(dataLayer)) return file.slice(root.length + 1);
    if (file.includes(`${sep}node_modules${sep}@mikro-orm${sep}`)) return `@mikro-orm (${symbol.getName()})`;
  }
  return null;
}

const ours = (symbol) => (symbol?.declarations ?? []).some((d) => resolve(d.getSourceFile().fileName).startsWith(root + sep) && !d.getSourceFile().fileName.includes('node_modules'));

const problems = [];

/** Walks a type: its own declaration, its type arguments, union members, and the fields and call signatures of our own object types. */
function walk(type, path, seen, depth) {
  if (!type || depth > 8 || seen.has(type)) return;
  seen.add(type);
  // Names (a status, a relationship) are plain data wherever their union is declared.
  if (type.flags & ts.TypeFlags.Literal || (type.isUnion() && type.types.every((t) => t.flags & (ts.TypeFlags.Literal | ts.TypeFlags.Undefined | ts.TypeFlags.Null)))) return;
  const named = type.aliasSymbol ?? type.getSymbol();
  if (named && opaque.has(named.getName())) return;
  const origin = forbiddenOrigin(type.aliasSymbol) ?? forbiddenOrigin(type.getSymbol());
  if (origin) {
    problems.push(`${path}: ${checker.typeToString(type).slice(0, 80)} — from ${origin}`);
    return;
  }
  for (const t of type.aliasTypeArguments ?? []) walk(t, `${path}<>`, seen, depth + 1);
  if (type.flags & ts.TypeFlags.Object && type.objectFlags & ts.ObjectFlags.Reference) for (const t of checker.getTypeArguments(type)) walk(t, `${path}<>`, seen, depth + 1);
  if (type.isUnionOrIntersection()) for (const t of type.types) walk(t, path, seen, depth + 1);
  if (!(type.flags & ts.TypeFlags.Object)) return;
  // Library types (Date, Promise, Map …) are not walked field by field: only their type arguments.
  if (named && !ours(named) && !(type.objectFlags & ts.ObjectFlags.Anonymous)) return;
  for (const sig of [...type.getCallSignatures(), ...type.getConstructSignatures()]) signature(sig, path, seen, depth + 1);
  for (const prop of type.getProperties()) {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    if (!decl) continue;
    walk(checker.getTypeOfSymbolAtLocation(prop, decl), `${path}.${prop.getName()}`, seen, depth + 1);
  }
}

function signature(sig, path, seen, depth) {
  for (const p of sig.getParameters()) {
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    if (decl) walk(checker.getTypeOfSymbolAtLocation(p, decl), `${path}(${p.getName()})`, seen, depth);
  }
  walk(sig.getReturnType(), `${path} → answer`, seen, depth);
}

const moduleSymbol = checker.getSymbolAtLocation(source);
for (const exported of checker.getExportsOfModule(moduleSymbol)) {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const name = exported.getName();
  const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!decl) continue;
  const seen = new Set();
  if (symbol.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface)) walk(checker.getDeclaredTypeOfSymbol(symbol), name, seen, 0);
  else if (symbol.flags & ts.SymbolFlags.Class)
    continue; // the index's classes are the errors: no entity fields
  // A function is judged by what it takes and answers, wherever it is declared.
  else if (symbol.flags & ts.SymbolFlags.Function) for (const sig of checker.getTypeOfSymbolAtLocation(symbol, decl).getCallSignatures()) signature(sig, name, seen, 0);
  else walk(checker.getTypeOfSymbolAtLocation(symbol, decl), name, seen, 0);
}

if (problems.length) {
  console.error(`The core's public index exposes the data layer (${problems.length}):`);
  for (const p of problems) console.error(`  ${p}`);
  console.error('Answer with plain data (a view type declared outside src/core/db), and take ids, not entities.');
  process.exitCode = 1;
} else {
  console.log(`public API: ${checker.getExportsOfModule(moduleSymbol).length} exports, no entity, row or ORM type`);
}
