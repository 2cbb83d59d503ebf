import type { FunctionDefinition } from '../../shared/functions/definitions.js';

import type { OpenApiDocument } from './document-shape.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * What does not match between the HTTP functions and the document: a function method with no
 * operation (or one served by another function, per `x-function`), and an operation no function
 * serves. Empty when every route is documented and every documented route exists.
 */
export function routeCoverage(definitions: FunctionDefinition[], document: OpenApiDocument): string[] {
  const problems: string[] = [];
  const served = new Set<string>();
  for (const def of definitions) {
    if (def.kind !== 'http') continue;
    for (const method of def.methods.map((m) => m.toLowerCase())) {
      const key = `${method} /${def.route}`;
      served.add(key);
      const op = document.paths?.[`/${def.route}`]?.[method];
      if (!op) problems.push(`${key} (function ${def.name}) is not in the document`);
      else if (op['x-function'] !== def.name)
        problems.push(`${key} is documented for ${String(op['x-function'])}, served by ${def.name}`);
    }
  }
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS.filter((m) => m in item)) {
      if (!served.has(`${method} ${path}`)) problems.push(`${method} ${path} is documented but no function serves it`);
    }
  }
  return problems;
}
