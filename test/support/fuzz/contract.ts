import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../spawn.js';

/** The parts of a JSON Schema (OpenAPI 3.0 dialect) the fuzzer reads. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  allOf?: Schema[];
  $ref?: string;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'patch', 'delete'];

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

/** One operation of the contract, with every `$ref` resolved. */
export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** The path template, e.g. `/api/v1/trips/{id}/stations/{stationId}`. */
  path: string;
  parameters: Parameter[];
  body?: { schema: Schema; required: boolean };
  /** Every status the contract documents. */
  statuses: number[];
  auth: { bearer: boolean; apiKey: boolean; anonymous: boolean };
}

interface RawOperation {
  operationId: string;
  parameters?: (Parameter & { schema?: Schema })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
}

interface RawDocument {
  paths: Record<string, Partial<Record<string, RawOperation>>>;
  components: { schemas: Record<string, Schema> };
  security?: Record<string, string[]>[];
}

/** The committed contract (`npm run openapi` writes it), read as integrators read it. */
export function loadOperations(file = join(ROOT, 'openapi.json')): Operation[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as RawDocument;
  const resolve = (schema: Schema, depth = 0): Schema => resolveSchema(document, schema, depth);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!raw) continue;
      if (!HTTP_METHODS.includes(method as HttpMethod)) {
        throw new Error(`The fuzzer does not know how to call ${method.toUpperCase()} ${path}`);
      }
      const json = raw.requestBody?.content['application/json'];
      if (raw.requestBody && !json) {
        throw new Error(`${raw.operationId}: the fuzzer only writes application/json bodies`);
      }
      const security = raw.security ?? document.security ?? [{}];
      operations.push({
        operationId: raw.operationId,
        method: method as HttpMethod,
        path,
        parameters: (raw.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: parameter.required ?? false,
          schema: resolve(parameter.schema ?? { type: 'string' }),
        })),
        body: json
          ? { schema: resolve(json.schema), required: raw.requestBody?.required ?? false }
          : undefined,
        statuses: Object.keys(raw.responses).map(Number),
        auth: {
          bearer: security.some((requirement) => 'bearer' in requirement),
          apiKey: security.some((requirement) => 'apiKey' in requirement),
          anonymous: security.some((requirement) => Object.keys(requirement).length === 0),
        },
      });
    }
  }
  return operations;
}

/** Inlines `$ref`s and the single-`allOf` wrappers @nestjs/swagger writes for nested DTOs. */
function resolveSchema(document: RawDocument, schema: Schema, depth: number): Schema {
  if (depth > 20) throw new Error('The contract nests schemas deeper than the fuzzer follows');
  const next = (inner: Schema) => resolveSchema(document, inner, depth + 1);
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) throw new Error(`Unresolvable $ref ${schema.$ref}`);
    const siblings = { ...schema };
    delete siblings.$ref;
    return { ...next(target), ...siblings };
  }
  if (schema.allOf) {
    const { allOf, ...siblings } = schema;
    const merged = allOf.map(next).reduce<Schema>(
      (all, part) => ({
        ...all,
        ...part,
        properties: { ...all.properties, ...part.properties },
        required: [...(all.required ?? []), ...(part.required ?? [])],
      }),
      {},
    );
    return { ...merged, ...siblings, type: merged.type ?? siblings.type };
  }
  const resolved: Schema = { ...schema };
  if (schema.items) resolved.items = next(schema.items);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [name, next(property)]),
    );
  }
  if (typeof schema.additionalProperties === 'object') {
    resolved.additionalProperties = next(schema.additionalProperties);
  }
  return resolved;
}

/** `/api/v1/trips/{id}` → the names of its path parameters, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
}
