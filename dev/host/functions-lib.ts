// @azure/functions is CommonJS and Node's named-export detection misses some of its classes
// (HttpResponse among them) when run outside vitest: take them from the default export.
import functions from '@azure/functions';

export const { HttpRequest, HttpResponse, InvocationContext } = functions;
export type HttpRequest = import('@azure/functions').HttpRequest;
export type HttpResponse = import('@azure/functions').HttpResponse;
export type InvocationContext = import('@azure/functions').InvocationContext;
