// The parts of an OpenAPI 3.1 document the tests read: the built one, the served one, or a broken copy.

export interface OpenApiResponse {
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, unknown>;
}
export interface OpenApiParameter {
  name: string;
  required?: boolean;
  schema?: { enum?: string[] };
}
export interface OpenApiOperation {
  'x-function'?: string;
  security?: unknown[];
  parameters?: OpenApiParameter[];
  responses?: Record<string, OpenApiResponse>;
  [keyword: string]: unknown;
}
export interface JsonSchemaObject {
  required?: string[];
  properties?: Record<string, unknown>;
  [keyword: string]: unknown;
}
export interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchemaObject> };
  [key: string]: unknown;
}
