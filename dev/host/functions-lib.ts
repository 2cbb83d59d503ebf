// @azure/functions is CommonJS and Node's named-export detection misses some of its classes
// (HttpResponse among them) when run outside vitest: take them from the default export.
import functions from '@azure/functions';
import type {
  HttpRequest as HttpRequestType,
  HttpResponse as HttpResponseType,
  InvocationContext as InvocationContextType,
} from '@azure/functions';

export const { HttpRequest, HttpResponse, InvocationContext } = functions;
export type HttpRequest = HttpRequestType;
export type HttpResponse = HttpResponseType;
export type InvocationContext = InvocationContextType;
